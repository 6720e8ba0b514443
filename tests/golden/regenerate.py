"""Golden outputs: small seeded runs of every shipped scenario, and the docs' result tables.

Run ``make golden`` (``python -m tests.golden.regenerate``) after a change that is meant to
move the numbers (an engine or default change): it rewrites ``tests/golden/*.json`` and the
tables between ``<!-- golden:NAME -->`` markers in README.md and docs/model.md. Review the
diff, then commit it with the change. ``tests/test_golden.py`` fails whenever the engine's
numbers and these files disagree, so no result in the docs can go stale unnoticed.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

import ccosim

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent
SCENARIOS = ROOT / "scenarios"
DOCUMENTS = (ROOT / "README.md", ROOT / "docs" / "model.md")

#: The small run pinned per shipped scenario: enough to exercise every mechanism.
GOLDEN_RUN = {"horizon_years": 2, "runs": 2, "seed": 7}
GOLDEN_KPIS = (
    "arr",
    "accounts",
    "grr",
    "nrr",
    "logo_retention",
    "bookings_new",
    "bookings_installed_base",
    "headcount",
    "org_cost",
    "time_to_value_months",
)
ARCHETYPES = ("cco_full", "cxo_tech_touch", "post_sales_cs", "cs_under_sales", "vp_services")


def shipped() -> list[Path]:
    """Every runnable shipped scenario (``_company.yaml`` is a base, not a design)."""
    return sorted(p for p in SCENARIOS.glob("*.yaml") if not p.name.startswith("_"))


def golden_numbers(path: Path) -> dict[str, list[list[float]]]:
    """Every replication's yearly KPIs of the small pinned run of ``path``."""
    scenario = ccosim.load(path, {"horizon_years": GOLDEN_RUN["horizon_years"]})
    results = ccosim.simulate(scenario, runs=GOLDEN_RUN["runs"], seed=GOLDEN_RUN["seed"], workers=1)
    return {k: np.asarray(results.yearly[k], dtype=float).tolist() for k in GOLDEN_KPIS}


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def archetypes_table() -> str:
    """docs/model.md: the five archetypes, 20 replications, seed 2026, year 9."""
    rows = []
    for name in ARCHETYPES:
        results = ccosim.simulate(SCENARIOS / f"{name}.yaml", runs=20, seed=2026, workers=1)
        grr, nrr = results.interval("grr"), results.interval("nrr")
        rows.append(
            (
                float(grr.mean[-1]),
                f"| `{name}` | {_pct(grr.mean[-1])} ({100 * grr.lo[-1]:.1f}-"
                f"{100 * grr.hi[-1]:.1f}) | {_pct(nrr.mean[-1])} ({100 * nrr.lo[-1]:.1f}-"
                f"{100 * nrr.hi[-1]:.1f}) | {_pct(results.mean('logo_retention')[-1])} | "
                f"${results.mean('arr')[-1] / 1e6:.0f}M | "
                f"${results.mean('org_cost')[-1] / 1e6:.1f}M | "
                f"{results.mean('ltv_to_cac')[-1]:.1f} |",
            )
        )
    rows.sort(key=lambda r: -r[0])
    header = [
        "| archetype | GRR | NRR | logo retention | ARR | org cost / year | LTV:CAC |",
        "|---|---|---|---|---|---|---|",
    ]
    return "\n".join(header + [line for _, line in rows])


def young_company_table() -> str:
    """docs/model.md: the young company's installed-base / new-business ratio by year."""
    results = ccosim.simulate(SCENARIOS / "young_growth.yaml", runs=24, seed=15, workers=1)
    ratio = results.mean("installed_base_to_new")
    years = (1, 2, 3, 5, 7, 9)
    return "\n".join(
        [
            "| year | " + " | ".join(str(y) for y in years) + " |",
            "|---|" + "---|" * len(years),
            "| installed base / new business | "
            + " | ".join(f"{ratio[y - 1]:.1f}x" for y in years)
            + " |",
        ]
    )


#: The options a CEO weighs against today's org (post_sales_cs), as docs/model.md shows them.
OPTIONS = (
    ("post-sale heads under the CEO", "cco_flat_ceo"),
    ("promote the VP of CS", "cco_promote_vp_cs"),
    ("hire an external CCO", "cco_full"),
)
OPTIONS_RUN = {"hire_month": 12, "runs": 8, "years": 9}


def options_table() -> str:
    """docs/model.md: the three options against post_sales_cs, hired at month 12, 9 years."""
    from ccosim.experiment.business_case import run_business_case

    rows = [
        "| option | file | net value, 9 years (95%) | NPV at 10% | break-even after the hire "
        "| P(the CCO leaves) | NPV without turnover |",
        "|---|---|---|---|---|---|---|",
    ]

    def money(x: float) -> str:
        return f"{'-' if x < 0 else '+'}${abs(x) / 1e6:.1f}M"

    for label, stem in OPTIONS:
        cases = [
            run_business_case(
                SCENARIOS / "post_sales_cs.yaml",
                SCENARIOS / f"{stem}.yaml",
                goal_seek=False,
                workers=1,
                set_options=options,
                **OPTIONS_RUN,
            )
            for options in ((), ("assumptions.leadership.turnover=false",))
        ]
        case, still = cases
        months = case.net_value.shape[1]
        value = case.net_value_at(months)
        median = case.break_even_summary()["median"]
        after = "not within 9 years" if median is None else f"{median - 12} months"
        rows.append(
            f"| {label} | `{stem}.yaml` | {money(value.mean[0])} ({money(value.lo[0])} to "
            f"{money(value.hi[0])}) | {money(case.npv_at(months).mean[0])} | {after} | "
            f"{case.p_leader_leaves:.0%} | {money(still.npv_at(months).mean[0])} |"
        )
    return "\n".join(rows)


#: Marker name -> the function that regenerates the text between the markers.
TABLES: dict[str, Callable[[], str]] = {
    "archetypes": archetypes_table,
    "young-company": young_company_table,
    "cco-options": options_table,
}

_BLOCK = re.compile(
    r"(<!-- golden:(?P<name>[\w-]+) -->\n)(?P<body>.*?)(\n<!-- /golden:(?P=name) -->)", re.S
)


def marked_tables(text: str) -> dict[str, str]:
    """The tables between golden markers in a document, by name."""
    return {m.group("name"): m.group("body") for m in _BLOCK.finditer(text)}


def refresh(text: str, tables: dict[str, str]) -> str:
    """``text`` with every marked table replaced by its regenerated version."""
    return _BLOCK.sub(
        lambda m: m.group(1) + tables.get(m.group("name"), m.group("body")) + m.group(4), text
    )


def main() -> int:
    """Rewrite the golden JSON files and the marked docs tables; print what changed."""
    for path in shipped():
        target = GOLDEN / f"{path.stem}.json"
        data = {"run": GOLDEN_RUN, "kpis": golden_numbers(path)}
        text = json.dumps(data, indent=1) + "\n"
        changed = not target.exists() or target.read_text() != text
        target.write_text(text)
        print(f"{'updated' if changed else 'same   '} {target.relative_to(ROOT)}")
    needed = {name for doc in DOCUMENTS for name in marked_tables(doc.read_text())}
    tables = {name: TABLES[name]() for name in sorted(needed)}
    for doc in DOCUMENTS:
        old = doc.read_text()
        new = refresh(old, tables)
        doc.write_text(new)
        print(f"{'updated' if new != old else 'same   '} {doc.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
