"""Experiment benchmark: parallel efficiency of replications, and what common random numbers buy.

1. 200 replications of the five shipped archetypes (40 each), serial (``workers=1``) against
   local processes (all cores): wall time, replications per second and parallel efficiency
   ``T_serial / (cores x T_parallel)``; each timing is the median of ``--repeat`` runs.
2. Variance of the paired difference of two designs (cco_full minus post_sales_cs) over
   replications, with common random numbers (both designs on the same seed) and with
   independent seeds (the second design on another root seed). The ratio is how many times
   more replications independent seeds would need for the same interval.

Run: ``.venv/bin/python benchmarks/experiment.py [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

from ccosim.experiment.executors import default_workers, run_ordered
from ccosim.results import Results
from ccosim.scenario import load
from ccosim.sim.model import run_replication
from ccosim.sim.params import compile_params

ROOT = Path(__file__).resolve().parents[1]
ARCHETYPES = ["vp_services", "post_sales_cs", "cco_full", "cs_under_sales", "cxo_tech_touch"]


def timed(tasks: list, workers: int, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run_ordered(run_replication, tasks, workers)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def replications(scenario: str, seed: int, runs: int) -> Results:
    params = compile_params(load(ROOT / "scenarios" / f"{scenario}.yaml"))
    outputs = run_ordered(run_replication, [(params, seed, r) for r in range(runs)], None)
    return Results.from_runs(scenario, seed, outputs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pairs", type=int, default=40, help="replications for the CRN part")
    args = parser.parse_args()

    params = [compile_params(load(ROOT / "scenarios" / f"{a}.yaml")) for a in ARCHETYPES]
    tasks = [(p, 2026, r) for p in params for r in range(40)]
    cores = default_workers()
    serial = timed(tasks, 1, args.repeat)
    parallel = timed(tasks, cores, args.repeat)
    print(f"{len(tasks)} replications (5 archetypes x 40), medians of {args.repeat} runs")
    print(f"  serial:    {serial:6.2f} s  {len(tasks) / serial:6.1f} replications/s")
    print(f"  {cores} processes: {parallel:6.2f} s  {len(tasks) / parallel:6.1f} replications/s")
    print(
        f"  speed-up {serial / parallel:.2f}x, parallel efficiency "
        f"{serial / (cores * parallel):.0%}"
    )

    n = args.pairs
    base_crn = replications("post_sales_cs", 2026, n)
    design_crn = replications("cco_full", 2026, n)
    design_indep = replications("cco_full", 777_001, n)
    print(f"\nVariance of the year-by-year paired difference cco_full - post_sales_cs, {n} pairs")
    print(f"  {'KPI':8} {'year':>4} {'var CRN':>12} {'var independent':>16} {'ratio':>7}")
    for kpi in ("grr", "nrr", "arr"):
        for year in (1, 5, 9):
            j = year - 1
            crn = np.var(design_crn.yearly[kpi][:, j] - base_crn.yearly[kpi][:, j], ddof=1)
            indep = np.var(design_indep.yearly[kpi][:, j] - base_crn.yearly[kpi][:, j], ddof=1)
            print(f"  {kpi:8} {year:4d} {crn:12.4g} {indep:16.4g} {indep / crn:7.1f}x")


if __name__ == "__main__":
    main()
