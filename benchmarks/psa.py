"""PSA benchmark: throughput and peak memory of a business case under assumption draws.

The shipped pair (post_sales_cs, the current org, and cco_full, the CCO org), 9 years, N
parameter draws x 2 designs x R inner replications on local processes (all cores), batched
several draws to a task. Each measurement runs in a fresh Python process so its peak
resident memory is its own; the parent's peak and the largest worker's peak are reported
(total peak <= parent + workers x largest worker). The same is run at a small N to show that
memory does not grow with N (per-draw summaries only). Timings are medians of ``--repeat``.

Run: ``.venv/bin/python benchmarks/psa.py [--draws 1000] [--runs 2] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child(draws: int, runs: int, workers: int | None) -> None:
    from ccosim.experiment.decision import business_case_answers
    from ccosim.experiment.psa import psa_for_business_case

    start = time.perf_counter()
    psa = psa_for_business_case(
        ROOT / "scenarios" / "post_sales_cs.yaml",
        ROOT / "scenarios" / "cco_full.yaml",
        draws=draws,
        runs=runs,
        workers=workers,
    )
    simulated = time.perf_counter() - start
    answers = business_case_answers(psa)
    total = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "replications": draws * runs * 2,
                "simulate_s": simulated,
                "total_s": total,
                "parent_mb": own,
                "worker_mb": kids,
                "p_npv_positive": answers["p_npv_positive"],
            }
        )
    )


def plain(replications: int, workers: int | None) -> float:
    """Replications/s of the same two designs run plainly (no draws): the load-free yardstick."""
    from ccosim.experiment.executors import run_ordered
    from ccosim.scenario import load
    from ccosim.sim.model import run_replication
    from ccosim.sim.params import compile_params

    params = [
        compile_params(load(ROOT / "scenarios" / f"{name}.yaml"))
        for name in ("post_sales_cs", "cco_full")
    ]
    tasks = [(p, 2026, r) for p in params for r in range(replications // 2)]
    start = time.perf_counter()
    run_ordered(run_replication, tasks, workers)
    return len(tasks) / (time.perf_counter() - start)


def measure(draws: int, runs: int, workers: int | None) -> dict:
    cmd = [sys.executable, __file__, "--child", "--draws", str(draws), "--runs", str(runs)]
    if workers:
        cmd += ["--workers", str(workers)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--small", type=int, default=100, help="N of the memory comparison")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.draws, args.runs, args.workers)
        return

    from ccosim.experiment.executors import default_workers

    cores = args.workers or default_workers()
    with open("/proc/loadavg") as handle:
        load = handle.read().split()[0]
    print(f"{cores} worker processes; 1-minute load average at start {load}")
    for draws in (args.small, args.draws):
        found, yardstick = [], []
        for _ in range(args.repeat):
            found.append(measure(draws, args.runs, args.workers))
            yardstick.append(plain(min(400, draws * args.runs * 2), args.workers))
        reps = found[0]["replications"]
        simulate = statistics.median(f["simulate_s"] for f in found)
        total = statistics.median(f["total_s"] for f in found)
        parent = statistics.median(f["parent_mb"] for f in found)
        worker = statistics.median(f["worker_mb"] for f in found)
        print(
            f"N={draws:5d} draws x 2 designs x {args.runs} runs = {reps:6d} replications "
            f"(medians of {args.repeat})"
        )
        print(
            f"  {reps / simulate:6.1f} replications/s simulating ({simulate:7.1f} s); "
            f"answers incl. EVPPI add {total - simulate:5.1f} s"
        )
        plain_rate = statistics.median(yardstick)
        print(
            f"  the same designs run plainly, interleaved: {plain_rate:6.1f} replications/s; "
            f"PSA at {reps / simulate / plain_rate:.0%} of that"
        )
        print(
            f"  peak memory: parent {parent:6.0f} MB, largest worker {worker:6.0f} MB "
            f"(total <= {parent + cores * worker:6.0f} MB)"
        )
    with open("/proc/loadavg") as handle:
        print(f"1-minute load average at the end {handle.read().split()[0]}")


if __name__ == "__main__":
    main()
