"""Every command that reads an org, on a 10,000-deep reporting chain (issue: hardening 2).

A chain one unit per layer is far deeper than any real org; the point is that no command
recurses, goes quadratic or draws an image too large to save. Each command runs in a fresh
process (start-up, load, work, output) and the median of several runs is printed with the
60 s budget beside it.

Run: .venv/bin/python benchmarks/deep_chain.py [--depth N] [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo: tests/ generators
from tests.org_generators import chain_yaml

BUDGET = 60.0
"""Seconds each command may take on the chain."""


def commands(scenario: Path, out: Path) -> dict[str, list[str]]:
    """The commands timed, by name."""
    return {
        "validate": ["validate", str(scenario)],
        "org stats": ["org", "stats", str(scenario), "--quiet", "--json", str(out / "s.json")],
        "chart (png)": ["chart", str(scenario), "-o", str(out / "c.png")],
        "compare": [
            "compare", str(scenario), str(scenario), "--runs", "2", "--years", "1",
            "--quiet", "-o", str(out / "cmp"),
        ],
    }  # fmt: skip


def main() -> None:
    """Time each command on the chain and print medians against the budget."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--depth", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        scenario = folder / "chain.yaml"
        scenario.write_text(chain_yaml(args.depth), encoding="utf-8")
        print(f"a {args.depth:,}-deep chain; median of {args.repeats} runs, fresh processes")
        for name, argv in commands(scenario, folder).items():
            times = []
            for _ in range(args.repeats):
                start = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "ccosim", *argv, "--force"]
                    if name != "validate"
                    else [sys.executable, "-m", "ccosim", *argv],
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
                times.append(time.perf_counter() - start)
            median = statistics.median(times)
            verdict = "within" if median <= BUDGET else "OVER"
            print(f"{name:12s} {median:7.1f} s  ({verdict} the {BUDGET:.0f} s budget)")


if __name__ == "__main__":
    main()
