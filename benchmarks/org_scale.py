"""Org commands on large orgs: a generated 50,000-person org and a 10,000-deep chain.

The 50,000-person org is the HRIS benchmark's generated export (a CEO, managers eight to a
manager, individual contributors under the lower half of the managers, so about 16 people
to a first-line manager), imported unfolded (one unit per person) and written as scenario
files the way `ccosim org import` does. The chain is one unit per layer. Cases (a flag each;
none given: all):

* ``--stats``: `ccosim org stats FILE --json - > OUT` on both orgs (start-up, load,
  analytics, output) and, in this process, the analytics alone (`org_stats`);
* ``--paper``: `ccosim chart ORG -o org.pdf --paper a4 --quiet` on the 50,000-person org;
* ``--pages``: `ccosim chart CHAIN -o chain.pdf --pages` on the chain (refused: it needs
  more pages than `--pages` draws; the time is that of the refusal).

Every command runs in a fresh process; the median of several runs is printed against the
60 s budget, with the load average (the machine may be shared).

Run: .venv/bin/python benchmarks/org_scale.py [--stats] [--paper] [--pages] [--people N]
[--depth N] [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hris_import import generated_hris_csv

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo: tests/ generators
from ccosim.io.authoring import write_scenario_files
from ccosim.io.hris import import_hris_csv
from ccosim.org import OrgGraph, org_stats
from ccosim.scenario import load
from tests.org_generators import chain_yaml


def _time_command(scenario: Path, out: Path, repeats: int) -> list[float]:
    command = [sys.executable, "-m", "ccosim", "org", "stats", str(scenario)]
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        with out.open("w") as sink:
            subprocess.run([*command, "--json", "-"], check=True, stdout=sink)
        times.append(time.perf_counter() - start)
    return times


def _time_analytics(scenario: Path, repeats: int) -> tuple[int, list[float]]:
    graph_of = load(scenario)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        org_stats(OrgGraph.from_scenario(graph_of))
        times.append(time.perf_counter() - start)
    return len(graph_of.org.units), times


BUDGET = 60.0
"""Seconds each command may take."""


def _report(label: str, units: int, command: list[float], analytics: list[float]) -> None:
    print(
        f"{label}: {units:,} units; `org stats` "
        + " / ".join(f"{t:.2f}" for t in command)
        + f" s, median {statistics.median(command):.2f} s; analytics alone median "
        f"{statistics.median(analytics):.2f} s"
    )


def _time_chart(label: str, argv: list[str], repeats: int) -> None:
    """Run ``ccosim chart ...`` ``repeats`` times; print the times and the median."""
    times, codes = [], set()
    for _ in range(repeats):
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "ccosim", "chart", *argv],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        times.append(time.perf_counter() - start)
        codes.add(done.returncode)
    median = statistics.median(times)
    verdict = "within" if median <= BUDGET else "OVER"
    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else []
    print(
        f"{label}: " + " / ".join(f"{t:.1f}" for t in times) + f" s, median {median:.1f} s "
        f"({verdict} the {BUDGET:.0f} s budget); exit {sorted(codes)}; load {' '.join(load)}"
    )


def _org(root: Path, people: int) -> Path:
    source = root / "hris.csv"
    source.write_text(generated_hris_csv(people), encoding="utf-8")
    return write_scenario_files(import_hris_csv(source, fold_teams=False), root / "org.yaml")[0]


def main() -> None:
    """Run the cases asked for (all by default)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stats", action="store_true", help="org stats on both orgs")
    parser.add_argument("--paper", action="store_true", help="chart --paper a4, the big org")
    parser.add_argument("--pages", action="store_true", help="chart --pages, the chain")
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--depth", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    every = not (args.stats or args.paper or args.pages)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        chain = root / "chain.yaml"
        chain.write_text(chain_yaml(args.depth), encoding="utf-8")
        org = _org(root, args.people) if every or args.stats or args.paper else None
        if every or args.stats:
            units, analytics = _time_analytics(org, args.repeats)
            command = _time_command(org, root / "org.json", args.repeats)
            _report(f"{args.people:,}-person org", units, command, analytics)
            units, analytics = _time_analytics(chain, args.repeats)
            command = _time_command(chain, root / "chain.json", args.repeats)
            _report(f"{args.depth:,}-deep chain", units, command, analytics)
        if every or args.paper:
            argv = [str(org), "-o", str(root / "org.pdf"), "--paper", "a4", "--quiet", "--force"]
            _time_chart(f"chart --paper a4, {args.people:,} people", argv, args.repeats)
        if every or args.pages:
            argv = [str(chain), "-o", str(root / "chain.pdf"), "--pages", "--force"]
            _time_chart(f"chart --pages, {args.depth:,}-deep chain", argv, args.repeats)


if __name__ == "__main__":
    main()
