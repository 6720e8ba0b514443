"""`ccosim org stats` on large orgs: a generated 50,000-person org and a 10,000-deep chain.

The 50,000-person org is the HRIS benchmark's generated export (a CEO, managers eight to a
manager, individual contributors under the lower half of the managers, so about 16 people
to a first-line manager), imported unfolded (one unit per person) and written as scenario
files the way `ccosim org import` does. The chain is one unit per layer. Each case runs the
real command in a fresh process (`ccosim org stats FILE --json - > OUT`: start-up, load,
analytics, output) and, in this process, the analytics alone (`org_stats`), and prints the
median of several runs.

Run: .venv/bin/python benchmarks/org_scale.py [--people N] [--depth N] [--repeats N]
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


def _report(label: str, units: int, command: list[float], analytics: list[float]) -> None:
    print(
        f"{label}: {units:,} units; `org stats` "
        + " / ".join(f"{t:.2f}" for t in command)
        + f" s, median {statistics.median(command):.2f} s; analytics alone median "
        f"{statistics.median(analytics):.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--depth", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        source = root / "hris.csv"
        source.write_text(generated_hris_csv(args.people), encoding="utf-8")
        files = write_scenario_files(import_hris_csv(source, fold_teams=False), root / "org.yaml")
        units, analytics = _time_analytics(files[0], args.repeats)
        command = _time_command(files[0], root / "org.json", args.repeats)
        _report(f"{args.people:,}-person org", units, command, analytics)
        chain = root / "chain.yaml"
        chain.write_text(chain_yaml(args.depth), encoding="utf-8")
        units, analytics = _time_analytics(chain, args.repeats)
        command = _time_command(chain, root / "chain.json", args.repeats)
        _report(f"{args.depth:,}-deep chain", units, command, analytics)


if __name__ == "__main__":
    main()
