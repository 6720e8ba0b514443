"""Generated orgs shared by the tests and the benchmarks (benchmarks put the repo on sys.path).

Plain text generators, no fixtures: a scenario whose org is a reporting chain of any depth,
and a random tree of any size.
"""

from __future__ import annotations

import random

from ccosim.scenario.schema import Function

__all__ = ["CUSTOMERS", "chain_yaml", "random_org_yaml"]

#: The smallest customer base a scenario needs (org analytics do not read it).
CUSTOMERS = [
    "customers:",
    "  segments:",
    "    smb: {initial_accounts: 1, acv: 1, new_accounts_per_year: 0, base_churn: 0.1}",
]

#: Functions down a chain, changing every CHAIN_BAND layers.
CHAIN_FUNCTIONS = ["executive", "customer_success", "support", "engineering", "new_business_sales"]
CHAIN_BAND = 700


def chain_yaml(depth: int) -> str:
    """A reporting chain ``depth`` units deep (ids c0, c1, ...; c0 on top).

    Functions change every :data:`CHAIN_BAND` layers, cycling through
    :data:`CHAIN_FUNCTIONS`: customer success at depths 700-1399, support at 1400-2099, ...
    """
    lines = ["name: Chain", *CUSTOMERS, "org:", "  units:"]
    lines.append("    - {id: c0, title: Top, function: executive}")
    lines += [
        f"    - {{id: c{i}, title: L{i}, "
        f"function: {CHAIN_FUNCTIONS[(i // CHAIN_BAND) % len(CHAIN_FUNCTIONS)]}, "
        f"reports_to: c{i - 1}}}"
        for i in range(1, depth)
    ]
    return "\n".join(lines) + "\n"


def random_org_yaml(units: int, seed: int) -> str:
    """A random tree of ``units`` units with mixed functions, costs and team sizes."""
    rng = random.Random(seed)
    functions = [f.value for f in Function if f is not Function.executive]
    lines = [
        "name: Random",
        *CUSTOMERS,
        "org:",
        "  units:",
        "    - {id: u0, title: CEO, function: executive}",
    ]
    for i in range(1, units):
        boss = rng.randrange(max(0, i - 12), i) if rng.random() < 0.7 else rng.randrange(i)
        extra = f", cost: {rng.randint(50, 250) * 1000.5}" if rng.random() < 0.5 else ""
        heads = rng.choice([1, 1, 1, 0.5, 3, 8])
        lines.append(
            f"    - {{id: u{i}, title: T{i}, function: {rng.choice(functions)}, "
            f"reports_to: u{boss}, headcount: {heads}{extra}}}"
        )
    return "\n".join(lines) + "\n"
