"""Side-by-side summary of several orgs' analytics (the ``org stats`` multi-file table)."""

from __future__ import annotations

from collections.abc import Sequence

from ccosim.org.analytics import OrgStats

__all__ = ["format_side_by_side", "summary_rows"]

_PAIRS = (
    ("customer_success", "renewals"),
    ("onboarding", "customer_success"),
    ("customer_success", "support"),
    ("sales_consulting", "onboarding"),
)


def _distance(stats: OrgStats, a: str, b: str) -> str:
    d = stats.handoff_distances.get(f"{a}|{b}", stats.handoff_distances.get(f"{b}|{a}"))
    return "-" if d is None else str(d)


def _owner(stats: OrgStats, function: str) -> str:
    owners = stats.function_owners.get(function)
    return "-" if not owners else "+".join(owners)


def summary_rows(stats: Sequence[OrgStats]) -> list[tuple[str, list[str]]]:
    """Rows of (label, one cell per org) comparing the key structural facts."""
    ceo_span = [next((m for m in s.managers if m.id == s.root), None) for s in stats]
    rows = [
        ("units", [str(s.units) for s in stats]),
        ("people", [f"{s.people:,}" for s in stats]),
        ("FTE", [f"{s.headcount:,.1f}".removesuffix(".0") for s in stats]),
        ("open positions", [f"{s.open_headcount:,.0f}" for s in stats]),
        ("loaded cost/yr", [f"{s.cost / 1e6:,.2f}M" for s in stats]),
        ("layers", [str(s.layers) for s in stats]),
        ("CEO span", [f"{m.span:g}" if m else "-" for m in ceo_span]),
        ("managers over limit", [str(len(s.over_limit)) for s in stats]),
        ("owner of customer success", [_owner(s, "customer_success") for s in stats]),
        ("owner of renewals", [_owner(s, "renewals") for s in stats]),
        ("owner of onboarding", [_owner(s, "onboarding") for s in stats]),
    ]
    for a, b in _PAIRS:
        rows.append((f"hops {a} - {b}", [_distance(s, a, b) for s in stats]))
    return rows


def format_side_by_side(named: Sequence[tuple[str, OrgStats]]) -> str:
    """A text table with one column per org."""
    names = [n for n, _ in named]
    rows = summary_rows([s for _, s in named])
    label_width = max(len(label) for label, _ in rows)
    widths = [max(len(n), *(len(cells[i]) for _, cells in rows)) for i, n in enumerate(names)]
    head = (
        " " * label_width + "  " + "  ".join(n.rjust(w) for n, w in zip(names, widths, strict=True))
    )
    lines = [head, "-" * len(head)]
    for label, cells in rows:
        lines.append(
            label.ljust(label_width)
            + "  "
            + "  ".join(c.rjust(w) for c, w in zip(cells, widths, strict=True))
        )
    return "\n".join(lines)
