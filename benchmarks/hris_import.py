"""Importing a 100,000-row HRIS export: time per stage and the size of what is written.

A generated org (fixed seed): a CEO, managers eight to a manager, then individual
contributors under the lower half of the managers, six job families. Imported the way
`ccosim org import` does it (teams folded above 10,000 rows), written as scenario files
(a chain of files when one would pass the loader's 2 MB limit) and loaded back. Prints the
median of several runs of each stage, rows per second, and the files' sizes.

Run: .venv/bin/python benchmarks/hris_import.py [--rows N] [--repeats N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from ccosim.io.authoring import write_scenario_files
from ccosim.io.hris import import_hris_csv
from ccosim.scenario import load

TITLES = (
    "Customer Success Manager",
    "Support Engineer",
    "Account Executive",
    "Software Engineer",
    "Implementation Consultant",
    "Sales Development Representative",
)


def generated_hris_csv(rows: int, seed: int = 7) -> str:
    """An HRIS export of ``rows`` people (id, manager, title, names, salary, department)."""
    rng = random.Random(seed)
    out = ["id,manager_id,title,first_name,last_name,salary,department"]
    out.append("1,,Chief Executive Officer,Ada,King,300000,Executive")
    managers = rows // 9
    queue, made, next_id = [1], [], 2
    while next_id <= managers:
        boss = queue.pop(0)
        for _ in range(8):
            if next_id > managers:
                break
            title = TITLES[next_id % 6]
            salary = rng.randint(120, 180) * 1000
            out.append(f"{next_id},{boss},Manager {title},M{next_id},Lee,{salary},D{boss % 50}")
            queue.append(next_id)
            made.append(next_id)
            next_id += 1
    bosses = made[-(managers // 2) :] or [1]
    index = 0
    while next_id <= rows:
        boss = bosses[index % len(bosses)]
        index += 1
        salary = rng.randint(60, 140) * 1000
        out.append(f"{next_id},{boss},{TITLES[boss % 6]},P{next_id},Ng,{salary},D{boss % 50}")
        next_id += 1
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    times: dict[str, list[float]] = {"import": [], "write (with check)": [], "load": []}
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "hris.csv"
        source.write_text(generated_hris_csv(args.rows), encoding="utf-8")
        for _ in range(args.repeats):
            start = time.perf_counter()
            result = import_hris_csv(source, fold_teams=None)
            times["import"].append(time.perf_counter() - start)
            start = time.perf_counter()
            files = write_scenario_files(result, Path(folder) / "org.yaml", force=True)
            times["write (with check)"].append(time.perf_counter() - start)
            start = time.perf_counter()
            scenario = load(files[0])
            times["load"].append(time.perf_counter() - start)
        print(
            f"{args.rows:,} rows -> {len(result.units):,} units in {len(files)} file(s): "
            + ", ".join(f"{p.name} {p.stat().st_size / 1e6:.2f} MB" for p in files)
        )
        print(f"loaded back: {len(scenario.org.units):,} units")
    for stage, values in times.items():
        median = statistics.median(values)
        print(
            f"{stage:20s} median {median:6.2f} s over {len(values)} runs "
            f"({args.rows / median:,.0f} rows/s)"
        )


if __name__ == "__main__":
    main()
