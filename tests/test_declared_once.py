"""Facts declared once, derived everywhere else.

Function lists, headline KPIs, the discount rate, ledger columns and the yearly aggregation
rules each live in one place. A fact written in two places drifts (STYLE.md: "which KPIs are
percentages was decided in seven lists that disagreed"). These tests hold the rule where it is
cheap to hold: derived names are the same objects as their source, per-function tables cover
the enum in its order, and no list of three or more names is written out twice in ccosim/.
"""

from __future__ import annotations

import ast
import csv
import io
from collections import defaultdict
from pathlib import Path

import click

from ccosim import kpis, money
from ccosim.calibrate.ledger import COLUMNS, LEDGER_COLUMNS, REQUIRED, refresh_document
from ccosim.calibrate.synthetic import PlantedSegment, synthetic_ledger
from ccosim.experiment import psa
from ccosim.functions import (
    CUSTOMER_FACING,
    DELIVERY,
    POST_SALE_CORE,
    POST_SALES,
    Function,
    function_label,
)
from ccosim.palette import FUNCTION_COLORS
from ccosim.results import PRIMARY_MEASUREMENTS
from ccosim.scenario.assumptions import SALARY_SOURCES
from ccosim.sim import ledger
from ccosim.sim.params import FUNCTIONS
from tests.conftest import ROOT

PACKAGE = ROOT / "ccosim"
NAMES = tuple(f.value for f in Function)

#: Lists of names still written in more than one place, each with why (keyed by the set of
#: names, so moving a module does not matter). Shrink this; never grow it without a reason.
KNOWN_REPEATS: dict[frozenset[str], str] = {
    frozenset({".png", ".svg", ".pdf"}): "chart file suffixes in three CLI commands (CLI rework)",
    frozenset({"a3", "a4", "letter"}): "paper names in two CLI commands; see PAPER_SIZES",
    frozenset({"currency", "location", "name", "segment"}): "org file fields (io split)",
    frozenset({"id", "parent", "title"}): "HRIS import column roles (io split)",
    frozenset({"arr", "grr", "nrr", "org_cost"}): "the ranking's KPIs and the one-pager's lifts: "
    "two selections, in different orders, that happen to hold the same four KPIs",
}


def test_every_function_list_is_the_enum_in_its_order():
    assert kpis.FUNCTION_NAMES == NAMES == FUNCTIONS
    assert tuple(k.name for k in kpis.FUNCTION_COST_KPIS) == tuple(f"cost_{f}" for f in NAMES)
    # Per-function tables: every function, in the enum's order (a new function needs a row).
    assert tuple(FUNCTION_COLORS) == NAMES
    assert tuple(SALARY_SOURCES) == NAMES


def test_function_groups_are_functions_and_say_their_order():
    for group in (CUSTOMER_FACING, POST_SALES, POST_SALE_CORE, DELIVERY):
        assert all(isinstance(f, Function) for f in group)
        assert len(set(group)) == len(group)
    # Reports list post-sales functions in the enum's order; the journey and the delivery
    # cost sum keep their own (documented) order.
    for group in (POST_SALES, POST_SALE_CORE):
        assert list(group) == sorted(group, key=list(Function).index)
    assert set(POST_SALE_CORE) <= set(POST_SALES) < set(CUSTOMER_FACING)
    assert set(DELIVERY) <= set(POST_SALE_CORE)
    assert set(PRIMARY_MEASUREMENTS) <= {f.value for f in POST_SALES}
    assert tuple(NAMES.index(f.value) for f in DELIVERY) == ledger.DELIVERY
    assert function_label(Function.professional_services) == "professional services"
    assert function_label("customer_success") == "customer success"


def test_headline_kpis_are_the_catalogues():
    assert psa.SUMMARY_KPIS is kpis.HEADLINE
    for module in ("ccosim.report.compare_report", "ccosim.report.uncertainty_report"):
        assert not hasattr(__import__(module, fromlist=["_"]), "HEADLINE_KPIS"), module


def test_yearly_aggregation_rules_come_from_the_catalogue():
    assert ledger.MONTHLY is kpis.MONTHLY
    assert ledger.YEAR_SUMS is kpis.YEAR_SUMS
    assert ledger.YEAR_MEANS is kpis.YEAR_MEANS
    assert ledger.YEAR_ENDS is kpis.YEAR_ENDS
    # A KPI made from its months must be recorded monthly.
    for name in (*kpis.YEAR_SUMS, *kpis.YEAR_MEANS, *kpis.YEAR_ENDS):
        assert kpis.get(name).monthly, name
    rules = {k.yearly for k in kpis.CATALOGUE.values()}
    assert rules <= {"sum", "mean", "end", "computed", ""}


def _discount_rate_literals(tree: ast.AST) -> list[int]:
    """Lines that write a discount rate as a number instead of reading money's."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            if any("discount_rate" in n.lower() for n in names) and isinstance(
                node.value, ast.Constant
            ):
                lines.append(node.lineno)
        elif isinstance(node, ast.arguments):
            args = [*node.posonlyargs, *node.args]
            pairs = [
                *zip(args[len(args) - len(node.defaults) :], node.defaults, strict=True),
                *zip(node.kwonlyargs, node.kw_defaults, strict=True),
            ]
            lines += [
                d.lineno
                for a, d in pairs
                if a.arg == "discount_rate" and isinstance(d, ast.Constant)
            ]
        elif isinstance(node, ast.Call) and any(
            isinstance(a, ast.Constant) and a.value == "--discount-rate" for a in node.args
        ):
            lines += [
                k.value.lineno
                for k in node.keywords
                if k.arg == "default" and isinstance(k.value, ast.Constant)
            ]
    return lines


def test_the_discount_rate_is_written_once():
    assert money.DEFAULT_DISCOUNT_RATE == 0.10
    found = {
        str(path.relative_to(ROOT)): lines
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "money.py"
        and (lines := _discount_rate_literals(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert not found, f"a discount rate written as a number (read ccosim.money's): {found}"


def test_the_cli_default_discount_rate_is_moneys():
    from ccosim.cli import main

    ctx = click.Context(main)
    command = main.get_command(ctx, "business-case")
    option = next(p for p in command.params if p.name == "discount_rate")
    assert option.default is money.DEFAULT_DISCOUNT_RATE


def test_ledger_columns_are_declared_once():
    assert tuple(c.name for c in LEDGER_COLUMNS) == COLUMNS
    assert REQUIRED == ("account_id", "segment", "start_date")
    text = (ROOT / "docs" / "calibration.md").read_text()
    assert refresh_document(text) == text, "docs/calibration.md is stale: run make docs"
    example = (ROOT / "examples" / "ledger.csv").read_text()
    assert tuple(next(csv.reader(io.StringIO(example)))) == COLUMNS
    planted = PlantedSegment(
        accounts=5, alpha=1.0, beta=4.0, expansion=0.1, contraction=0.05, acv=9000.0
    )
    written = synthetic_ledger({"smb": planted}, years=2)
    assert tuple(next(csv.reader(io.StringIO(written)))) == COLUMNS


def _lists_of_names(path: Path) -> list[tuple[frozenset[str], int]]:
    """Every tuple, list or set of three or more string literals in a module (with its line)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        strings = isinstance(node, ast.Tuple | ast.List | ast.Set) and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts
        )
        if strings and len(node.elts) >= 3:
            found.append((frozenset(e.value for e in node.elts), node.lineno))
    return found


def test_no_list_of_names_is_written_twice():
    where: dict[frozenset[str], list[str]] = defaultdict(list)
    for path in sorted(PACKAGE.rglob("*.py")):
        for names, line in _lists_of_names(path):
            where[names].append(f"{path.relative_to(ROOT)}:{line}")
    repeats = {
        ", ".join(sorted(names)): places
        for names, places in where.items()
        if len(places) > 1 and names not in KNOWN_REPEATS
    }
    assert not repeats, (
        "the same list of names is written in several places; declare it once and derive "
        f"the others: {repeats}"
    )
