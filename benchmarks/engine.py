"""The engine against a reference per-account SimPy loop: 10,000 accounts, 10 years.

The reference is the design measured and rejected when the engine was laid out (one SimPy
process per account, ticking monthly for 120 months with one random draw per account-month;
see docs/performance.md, "Engine", for its measurements and this script's). ccosim runs a
10,000-account, 10-year version of the shipped future-CCO scenario with every mechanism on
(org effects, workforce, onboarding queue, support, training, renewals, upsell, finance).
Prints the median of several runs of each and their ratio; the target is at least 40x.

Run: .venv/bin/python benchmarks/engine.py [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np
import simpy

import ccosim
from ccosim.sim.model import run_replication
from ccosim.sim.params import compile_params
from ccosim.streams import stream

ROOT = Path(__file__).resolve().parents[1]
ACCOUNTS = 10_000
MONTHS = 120


def reference_loop(seed: int = 1) -> float:
    """One SimPy process per account, one draw per account-month; returns final ARR."""
    env = simpy.Environment()
    rng = stream(seed, 0, "reference")
    arr = np.full(ACCOUNTS, 20_000.0)
    monthly_churn = 1 - (1 - 0.12) ** (1 / 12)

    def account(i: int):
        for _ in range(MONTHS):
            if arr[i] > 0 and rng.random() < monthly_churn:
                arr[i] = 0.0
            yield env.timeout(1)

    for i in range(ACCOUNTS):
        env.process(account(i))
    env.run()
    return float(arr.sum())


def scenario(accounts: int = ACCOUNTS) -> ccosim.Scenario:
    """The shipped future-CCO org over a steady base of ``accounts`` for 10 years.

    Segments keep the shipped mix; new logos replace the base churn so the base stays near
    that size, and account-executive plans are scaled to sell them.
    """
    overrides: dict[str, object] = {"horizon_years": 10}
    mix = {
        "enterprise": (60, 0.06, "ae_enterprise", 150_000),
        "mid_market": (350, 0.09, "ae_mid_market", 40_000),
        "smb": (1400, 0.16, "ae_smb", 9_000),
    }
    for name, (initial, churn, unit, acv) in mix.items():
        base = round(initial * accounts / 1810)
        new = round(base * churn * 1.1)
        overrides[f"customers.segments.{name}.initial_accounts"] = base
        overrides[f"customers.segments.{name}.new_accounts_per_year"] = new
        overrides[f"customers.segments.{name}.new_accounts_growth"] = 0.0
        overrides[f"org.units.{unit}.staffing.plan"] = [round(new * acv / 700_000 * 1.3) + 1]
    return ccosim.load(ROOT / "scenarios" / "cco_full.yaml", overrides)


def time_it(func, repeats: int) -> float:
    """Median wall time of ``repeats`` calls."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--scaling",
        action="store_true",
        help="Also time the engine on 1,000 and 100,000 accounts (how the cost grows with size).",
    )
    args = parser.parse_args()
    params = compile_params(scenario())
    out = run_replication((params, 1, 0))
    accounts = out["yearly"]["accounts"]
    print(
        f"ccosim scenario: {int(accounts[0]):,} accounts after year 1, "
        f"{int(accounts[-1]):,} after year 10; {params.horizon_months} months"
    )
    engine = time_it(lambda: run_replication((params, 1, 0)), args.repeats)
    reference = time_it(reference_loop, max(3, args.repeats // 2))
    print(f"reference per-account SimPy loop: {reference:.3f} s (median)")
    print(f"ccosim engine, every mechanism on: {engine:.3f} s (median)")
    print(f"ratio: {reference / engine:.1f}x (target >= 40x)")
    if args.scaling:
        for size in (1_000, 100_000):
            sized = compile_params(scenario(size))
            run_replication((sized, 1, 0))
            seconds = time_it(lambda sized=sized: run_replication((sized, 1, 0)), args.repeats)
            print(f"ccosim engine on {size:,} accounts: {seconds:.3f} s (median)")


if __name__ == "__main__":
    main()
