"""The hiring plan inside the business-case and compare reports (issue 23 item 1).

What a user would miss if it broke: a report whose requisition list does not add up to the
hires it shows, a business case without the CCO's own requisition at the search month, a
plan whose heads in post are not the report's own runs, tables pandas cannot read or the
data package does not describe, or no hiring-plan section in report.html.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from ccosim.cli import main
from ccosim.experiment.plan_designs import report_quarters
from ccosim.formatting import format_value
from ccosim.scenario import load

ROOT = Path(__file__).resolve().parents[1]
CURRENT = ROOT / "scenarios" / "post_sales_cs.yaml"
CCO = ROOT / "scenarios" / "cco_full.yaml"
HIRE_MONTH = 12
PLAN_TABLES = ("headcount_plan", "requisitions", "budget", "quota_capacity")


def _invoke(args: list[str]) -> None:
    result = CliRunner().invoke(main, [*args, "--runs", "2", "--workers", "1", "-q"])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def case_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The business case of the issue: the post-sales org hiring a CCO at month 12."""
    out = tmp_path_factory.mktemp("bc") / "case"
    _invoke(
        [
            "business-case",
            str(CURRENT),
            "--with",
            str(CCO),
            "--hire-month",
            str(HIRE_MONTH),
            "--years",
            "3",
            "--no-goal-seek",
            "-o",
            str(out),
        ]
    )
    return out


@pytest.fixture(scope="module")
def compare_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cmp") / "compare"
    _invoke(["compare", str(CURRENT), str(CCO), "--years", "2", "--no-attribution", "-o", str(out)])
    return out


@pytest.fixture(params=["case_folder", "compare_folder"])
def folder(request: pytest.FixtureRequest) -> Path:
    return request.getfixturevalue(request.param)


def _table(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / "data" / f"{name}.csv", keep_default_na=False)


class _Sections(HTMLParser):
    """report.html's sections: title -> tables, each a list of rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, list[list[list[str]]]] = {}
        self._title: str | None = None
        self._in: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("h2", "td", "th"):
            self._in, self._text = tag, ""
        elif tag == "table" and self._title is not None:
            self.sections[self._title].append([])
        elif tag == "tr" and self._title is not None and self.sections[self._title]:
            self.sections[self._title][-1].append([])

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2" and self._in == "h2":
            self._title = self._text.strip()
            self.sections[self._title] = []
        elif tag in ("td", "th") and self._in == tag and self._title is not None:
            self.sections[self._title][-1][-1].append(self._text.strip())
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text += data


def _sections(folder: Path) -> dict[str, list[list[list[str]]]]:
    parser = _Sections()
    parser.feed((folder / "report.html").read_text(encoding="utf-8"))
    return parser.sections


def test_requisitions_add_up_to_the_hires_of_the_headcount_plan(folder):
    plan = _table(folder, "headcount_plan")
    reqs = _table(folder, "requisitions")
    assert plan["design"].nunique() == 2, "the status quo (or current design) and the other"
    assert len(reqs) > 0, "a growing org with attrition hires"
    counted = reqs.groupby(["design", "start_quarter", "unit", "kind"]).size()
    for row in plan.itertuples():
        for kind, hires in (("new", row.hires_new), ("backfill", row.hires_backfill)):
            key = (row.design, row.quarter, row.unit, kind)
            assert counted.get(key, 0) == hires, key
    keys = set(zip(plan["design"], plan["quarter"], plan["unit"], strict=True))
    assert set(zip(reqs["design"], reqs["start_quarter"], reqs["unit"], strict=True)) <= keys


def test_the_plans_heads_in_post_are_the_reports_own_runs(folder):
    """The plan re-runs the designs on the report's seed and runs: the same heads in post."""
    plan = _table(folder, "headcount_plan")
    series = pd.read_csv(folder / "data" / "series_monthly.csv")
    heads = series[series["kpi"] == "headcount"].set_index(["scenario", "month"])["mean"]
    for (design, quarter), rows in plan.groupby(["design", "quarter"]):
        expected = heads[(design, 3 * quarter - 1)]
        total = float(rows["heads_in_post"].sum())
        assert total == pytest.approx(expected, abs=0.01), (design, quarter)


def test_the_data_package_describes_every_plan_table(folder):
    package = json.loads((folder / "data" / "datapackage.json").read_text())
    resources = {r["path"]: r for r in package["resources"]}
    for name in PLAN_TABLES:
        fields = [f["name"] for f in resources[f"{name}.csv"]["schema"]["fields"]]
        assert fields == list(_table(folder, name).columns), name
        assert fields[0] == "design"
        assert all(f.get("description") for f in resources[f"{name}.csv"]["schema"]["fields"])


def test_the_ccos_requisition_opens_at_the_hire_month_with_its_cost(case_folder):
    reqs = _table(case_folder, "requisitions")
    cco = reqs[reqs["unit"] == "cco"]
    assert len(cco) == 1, "one CCO hired, by the CCO org only"
    (row,) = cco.itertuples()
    assert row.opens_month == HIRE_MONTH and row.kind == "new"
    cost = next(u.cost for u in load(CCO).org.units if u.id == "cco")
    assert row.loaded_cost == cost
    # The report shows it in its hiring plan, at the search month, with its cost.
    (added,) = [
        t for t in _sections(case_folder)["Hiring plan"] if t[0][:2] == ["design", "requisition"]
    ]
    (shown,) = [r for r in added[1:] if r[1] == row.req_id]
    assert shown[4].split(",")[0] == f"month {HIRE_MONTH}" and shown[6] == format_value(cost, "$")


def test_report_html_has_the_hiring_plan_of_each_design(folder):
    tables = _sections(folder)["Hiring plan"]
    labels = set(_table(folder, "headcount_plan")["design"])
    heads, hires, *_, budget = tables
    quarters = _table(folder, "headcount_plan")["quarter"].max()
    for table in (heads, hires, budget):
        assert len(table[0]) == 2 + quarters  # design, function, one column per quarter
    shown = {row[0] for row in heads[1:]}
    assert len(shown) == len(labels) == 2
    # The "all" rows are the sums of the heads in post of the data table, per design.
    plan = _table(folder, "headcount_plan")
    last = plan[plan["quarter"] == quarters].groupby("design")["heads_in_post"].sum()
    totals = sorted(float(r[-1].replace(",", "")) for r in heads[1:] if r[1] == "all")
    assert totals == pytest.approx(sorted(last), abs=0.051)


def test_each_range_brackets_its_mean(folder):
    """The middle 95% of runs sits around the mean (``_lo`` <= mean <= ``_hi``), per row."""
    for name, column in (
        ("headcount_plan", "heads_in_post"),
        ("headcount_plan", "loaded_cost"),
        ("budget", "loaded_cost"),
    ):
        table = _table(folder, name)
        mean, lo, hi = (table[f"{column}{end}"] for end in ("", "_lo", "_hi"))
        assert ((lo <= mean + 1e-6) & (mean <= hi + 1e-6)).all(), (name, column)
        assert (hi > lo).any(), f"{name}.{column}: customer randomness moves some figure"


def test_the_reports_plan_reaches_the_ccos_start_within_the_horizon():
    """8 quarters, longer when the CCO starts later, never beyond the months simulated."""
    assert report_quarters(60) == 8
    assert report_quarters(60, cover_month=29) == 10  # starts in month 29: quarter 10
    assert report_quarters(36, cover_month=40) == 12  # the horizon ends first
    assert report_quarters(12) == 4
