"""`ccosim plan`: the quarterly headcount plan and the requisition list HR and finance act on.

What a user would miss if these broke: requisitions that do not add up to the plan's hires,
heads in post that are not the simulation's, the CCO's own requisition missing or costed
wrongly, backfills counted as new seats, a plan that changes with the number of workers, and
a clear refusal of options that do not fit.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import ccosim
from ccosim.cli import main
from ccosim.experiment.plan import run_plan
from ccosim.experiment.plan_tables import HeadcountPlan
from ccosim.experiment.requisitions import planned_hires
from ccosim.experiment.study import Execution
from ccosim.workflows.plan import plan_design

ROOT = Path(__file__).resolve().parent.parent
CURRENT = ROOT / "scenarios" / "post_sales_cs.yaml"
CCO = ROOT / "scenarios" / "cco_full.yaml"
RUNS = 2


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def cco_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The done-when command: the post-sales org hiring a CCO at month 12, 8 quarters."""
    out = tmp_path_factory.mktemp("plan") / "cco-plan"
    result = CliRunner().invoke(
        main,
        [
            "plan",
            str(CURRENT),
            "--with",
            str(CCO),
            "--hire-month",
            "12",
            "--runs",
            str(RUNS),
            "--workers",
            "1",
            "-q",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "requisitions" in result.output
    return out


def test_requisitions_add_up_to_the_plans_hires_per_quarter_and_unit(cco_plan):
    plan = _rows(cco_plan / "headcount_plan.csv")
    reqs = _rows(cco_plan / "requisitions.csv")
    assert reqs, "a growing org with attrition hires"
    counted = Counter((r["start_quarter"], r["unit"], r["kind"]) for r in reqs)
    for row in plan:
        key = (row["quarter"], row["unit"])
        assert counted[(*key, "new")] == int(row["hires_new"]), key
        assert counted[(*key, "backfill")] == int(row["hires_backfill"]), key
        assert int(row["hires"]) == int(row["hires_new"]) + int(row["hires_backfill"])
    planned = {(r["quarter"], r["unit"]) for r in plan}
    assert {(r["start_quarter"], r["unit"]) for r in reqs} <= planned
    # Whole people, close to the runs' mean: over the plan they differ by less than one per
    # unit and kind (rounded cumulative sums).
    for unit in {r["unit"] for r in plan}:
        mine = [r for r in plan if r["unit"] == unit]
        expected = sum(float(r["expected_hires"]) for r in mine)
        assert abs(sum(int(r["hires"]) for r in mine) - expected) <= 1.0 + 1e-9, unit
    assert [r["req_id"] for r in reqs] == [f"REQ-{i:04d}" for i in range(1, len(reqs) + 1)]
    assert all(r["driver"] for r in reqs)


def test_heads_in_post_are_the_simulations_workforce_series(cco_plan):
    """The plan's heads and cost are those `ccosim run` gives for the same design and seed."""
    design = plan_design(CURRENT, target=CCO, hire_month=12, quarters=8)
    results = ccosim.simulate(design.design.scenario, runs=RUNS, workers=1)
    plan = _rows(cco_plan / "headcount_plan.csv")
    budget = _rows(cco_plan / "budget.csv")
    headcount = results.monthly["headcount"].mean(axis=0)
    for q in range(1, 9):
        heads = sum(float(r["heads_in_post"]) for r in plan if r["quarter"] == str(q))
        assert heads == pytest.approx(headcount[3 * q - 1], abs=0.01), q
        months = slice(3 * q - 3, 3 * q)
        total = next(r for r in budget if r["quarter"] == str(q) and r["function"] == "all")
        cost = results.monthly["org_cost"][:, months].sum(axis=1).mean()
        assert float(total["loaded_cost"]) == pytest.approx(cost, rel=1e-6)
        support = next(r for r in budget if r["quarter"] == str(q) and r["function"] == "support")
        cost = results.monthly["cost_support"][:, months].sum(axis=1).mean()
        assert float(support["loaded_cost"]) == pytest.approx(cost, rel=1e-6)


def test_each_quarter_carries_the_last_ones_heads_forward(cco_plan):
    """Heads in post = last quarter's + hires - leavers + moved in, unit by unit (means)."""
    plan = _rows(cco_plan / "headcount_plan.csv")
    heads = {(r["quarter"], r["unit"]): float(r["heads_in_post"]) for r in plan}
    for row in plan:
        q = int(row["quarter"])
        if q == 1:
            continue
        before = heads.get((str(q - 1), row["unit"]), 0.0)
        flows = float(row["expected_hires"]) - float(row["leavers"]) + float(row["moved_in"])
        assert float(row["heads_in_post"]) == pytest.approx(before + flows, abs=1e-3), row


def test_the_ccos_own_requisition_opens_at_the_search_month_with_its_cost(cco_plan):
    reqs = [r for r in _rows(cco_plan / "requisitions.csv") if r["unit"] == "cco"]
    assert len(reqs) == 1, reqs
    (cco,) = reqs
    assert cco["kind"] == "new" and cco["title"] == "Chief Customer Officer"
    assert int(cco["opens_month"]) == 12  # the search opens at the hire month
    # In post after the executive time to fill (5 months, the shipped default).
    assert int(cco["start_month"]) == 17 and cco["start_quarter"] == "6"
    assert cco["starts"] == "2028-06-01"  # _company.yaml: start_date 2027-01
    assert float(cco["loaded_cost"]) == 457_500  # cco_full.yaml's cost of the role
    assert cco["manager_unit"] == "ceo" and cco["manager_title"] == "Chief Executive Officer"
    assert "month 12" in cco["driver"]
    # Teams that move report to the CCO in the plan's later quarters.
    last = [r for r in _rows(cco_plan / "headcount_plan.csv") if r["quarter"] == "8"]
    assert {r["manager_unit"] for r in last if r["unit"] == "support_mgr"} == {"cco"}


def test_the_folder_carries_its_tables_chart_and_manifest(cco_plan):
    package = json.loads((cco_plan / "datapackage.json").read_text())
    resources = {r["name"]: r for r in package["resources"]}
    assert {"headcount-plan", "requisitions", "budget", "quota-capacity"} <= set(resources)
    fields = {f["name"]: f for f in resources["requisitions"]["schema"]["fields"]}
    assert list(fields) == list(_rows(cco_plan / "requisitions.csv")[0])
    assert all(f["description"] for f in fields.values())
    manifest = json.loads((cco_plan / "manifest.json").read_text())
    assert manifest["seed"] == 2026 and manifest["runs"] == RUNS
    assert manifest["command"][0] == "ccosim"  # the rest is sys.argv (pytest's, here)
    (resolved,) = (cco_plan / "scenarios").iterdir()
    assert "hired at month 12" in resolved.read_text()
    assert (cco_plan / "headcount_by_function.png").read_bytes()[:4] == b"\x89PNG"
    quota = _rows(cco_plan / "quota_capacity.csv")
    assert {r["measure"] for r in quota} >= {"new_business_quota", "installed_base_quota"}


def test_rounding_cumulative_expected_hires_keeps_whole_people_on_track():
    rng = np.random.default_rng(7)
    expected = rng.exponential(0.3, size=(50, 24)) * (rng.random((50, 24)) < 0.5)
    rows = planned_hires(expected)
    assert rows.dtype.kind == "i" and (rows >= 0).all()
    # Every prefix adds up to the rounded expected total, so no quarter is off by one or more.
    np.testing.assert_array_equal(
        rows.cumsum(axis=1), np.floor(expected.cumsum(axis=1) + 0.5).astype(int)
    )
    quarters = rows.reshape(50, 8, 3).sum(axis=2) - expected.reshape(50, 8, 3).sum(axis=2)
    assert np.abs(quarters).max() < 1.0


@pytest.fixture(scope="module")
def small_run():
    design = plan_design(
        CURRENT,
        quarters=4,
        set_options=["org.units.support_agents.staffing.attrition_rate=0"],
    )
    return design, run_plan(
        design.design.scenario, quarters=4, runs=2, execution=Execution(workers=1)
    )


def test_every_unit_months_heads_balance_hires_and_leavers(small_run):
    _, run = small_run
    u = run.units
    previous = np.concatenate(
        [
            np.broadcast_to(run.params.initial_filled, u["filled"][:, :, 0].shape)[..., None],
            u["filled"][:, :, :-1],
        ],
        axis=2,
    )
    np.testing.assert_allclose(
        u["filled"], previous + u["hires"] + u["moved_in"] - u["leavers"], atol=1e-9
    )
    assert (u["backfill"] <= u["hires"] + 1e-12).all() and (u["backfill"] >= 0).all()


def test_hires_are_backfills_where_people_leave_and_new_where_the_target_grows(small_run):
    _, run = small_run
    slot = run.params.unit_ids.index
    u = run.units
    # Engineers: a fixed team with 12% attrition: every hire replaces a leaver.
    eng = slot("eng_platform")
    assert u["hires"][:, eng].sum() > 0
    np.testing.assert_allclose(u["backfill"][:, eng], u["hires"][:, eng])
    # Support engineers set to no attrition: every hire is a new seat for the growing base.
    agents = slot("support_agents")
    assert u["hires"][:, agents].sum() > 0 and u["backfill"][:, agents].sum() == 0
    plan = HeadcountPlan.of(run)
    kinds = {r.kind for r in plan.requisitions if r.unit == "support_agents"}
    assert kinds == {"new"}
    ratio = next(r for r in plan.requisitions if r.unit == "support_agents")
    assert ratio.driver.startswith("1 head per 180 accounts") and "heads wanted" in ratio.driver


def test_the_plan_is_the_same_on_one_worker_or_two(small_run):
    design, run = small_run
    again = run_plan(design.design.scenario, quarters=4, runs=2, execution=Execution(workers=2))
    for name, values in run.units.items():
        np.testing.assert_array_equal(values, again.units[name], err_msg=name)
    assert HeadcountPlan.of(run).requisitions == HeadcountPlan.of(again).requisitions


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--hire-month", "3"], "--hire-month goes with --with"),
        (["--with", str(CCO), "--hire-month", "12", "--quarters", "4"], "plan more --quarters"),
        (["--quarters", "0"], "--quarters"),
    ],
)
def test_options_that_do_not_fit_are_refused_before_any_work(tmp_path, args, says):
    out = tmp_path / "p"
    result = CliRunner().invoke(main, ["plan", str(CURRENT), "-o", str(out), *args])
    assert result.exit_code == 2, result.output
    assert says in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_an_existing_folder_is_not_replaced_without_force(tmp_path):
    out = tmp_path / "p"
    out.mkdir()
    (out / "mine.txt").write_text("keep")
    result = CliRunner().invoke(main, ["plan", str(CURRENT), "-o", str(out), "--quarters", "1"])
    assert result.exit_code == 2 and "--force" in result.output
    assert (out / "mine.txt").read_text() == "keep"


def test_xlsx_holds_the_same_requisitions_as_the_csv(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "p"
    args = ["plan", str(CURRENT), "-o", str(out), "--quarters", "2", "--runs", "1"]
    result = CliRunner().invoke(main, [*args, "--workers", "1", "-q", "--format", "xlsx"])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out / "tables.xlsx", read_only=True)
    assert {"headcount_plan", "requisitions", "budget", "quota_capacity"} <= set(book.sheetnames)
    sheet = list(book["requisitions"].iter_rows(values_only=True))
    rows = _rows(out / "requisitions.csv")
    assert rows and list(sheet[0]) == list(rows[0])
    assert [r[0] for r in sheet[1:]] == [r["req_id"] for r in rows]
