"""The studio without a browser: units added and removed, edits saved as a timeline.

Also the business case over edited designs and an HRIS export imported by upload.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from click.testing import CliRunner

pytest.importorskip(
    "shiny", reason="the studio extra is not installed (pip install ccosim[studio])"
)

from ccosim.cli import main
from ccosim.errors import CcosimError
from ccosim.experiment.business_case import business_case, business_case_study
from ccosim.org.edit import OrgEditError, add_unit, move_unit, remove_unit, update_unit
from ccosim.org.edit_timeline import edits_timeline
from ccosim.scenario import load
from ccosim.scenario.timeline import org_at
from ccosim.studio.business_case import (
    CaseSettings,
    case_study,
    case_summary,
    net_value_svg,
    run_case,
)
from ccosim.studio.folder import Folder
from ccosim.studio.org_view import org_view
from ccosim.studio.upload import MAX_UPLOAD_FILE_BYTES, import_design
from ccosim.studio.workbench import Workbench
from tests.studio_support import big_hris_csv, design_folder


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return design_folder(tmp_path_factory.mktemp("studio-edits"))


@pytest.fixture
def bench(folder):
    return Workbench.open(
        [folder / "post_sales_cs.yaml", folder / "cxo_tech_touch.yaml"], Folder.at(folder), years=1
    )


def by_id(units):
    return {u.id: u for u in units}


def test_add_and_remove_follow_the_format_and_the_timelines_rule(bench):
    scenario = bench.designs[1].current
    added, new_id = add_unit(scenario, "cxo", {"title": "Head of Digital CS"})
    unit = by_id(added.org.units)[new_id]
    assert new_id == "head_of_digital_cs" and unit.reports_to == "cxo"
    assert unit.vacant and unit.function.value == "executive", (
        "a position to hire, the manager's function"
    )
    with pytest.raises(OrgEditError) as refused:
        add_unit(scenario, "cxo", {"title": "", "headcount": -1})
    assert set(refused.value.problems) == {"title", "headcount"}
    reports = [u.id for u in scenario.org.units if u.reports_to == "cs_director"]
    removed = by_id(remove_unit(scenario, "cs_director").org.units)
    assert "cs_director" not in removed
    assert all(removed[r].reports_to == "cxo" for r in reports), "reports move up"
    with pytest.raises(OrgEditError, match="top"):
        remove_unit(scenario, "ceo")


def test_a_staffing_policy_is_checked_by_the_format(bench):
    scenario = bench.designs[0].current
    with pytest.raises(OrgEditError) as refused:
        update_unit(scenario, "renewal_reps", {"staffing": {"policy": "ratio"}})
    assert "driver" in refused.value.problems["staffing"]
    planned = update_unit(
        scenario, "renewal_reps", {"staffing": {"policy": "plan", "plan": [4, 6, 8]}}
    )
    assert by_id(planned.org.units)["renewal_reps"].staffing.plan == [4, 6, 8]


def test_edits_saved_as_a_timeline_replay_to_the_edited_org(bench, folder):
    bench.move(1, "renewals_mgr", "cxo")
    head = bench.add(1, "cxo", {"title": "Head of Digital CS", "function": "customer_success"})
    bench.add(
        1, head, {"title": "Digital CSMs", "headcount": 3, "open_headcount": 1, "vacant": False}
    )
    bench.edit(
        1, "csm_smb", {"headcount": 12}
    )  # a ratio-staffed team: set_headcount, then staffing
    bench.edit(1, "support_mgr", {"title": "Director of Support and Care", "cost": 250000})
    bench.remove(1, "cs_director")  # its reports move up to the CXO
    path = bench.save_timeline(1, "cxo-timeline", 6)
    assert CliRunner().invoke(main, ["validate", str(path)]).exit_code == 0
    saved = load(path)
    edited, opened = bench.designs[1].current.org.units, bench.designs[1].original.org.units
    assert by_id(org_at(saved, 6)) == by_id(edited), "from the month on: the org as edited"
    assert by_id(org_at(saved, 5)) == by_id(opened), "before it: the org as opened"
    assert saved.org.units == opened
    with pytest.raises(CcosimError, match="exists"):
        bench.save_timeline(1, "cxo-timeline", 6)
    with pytest.raises(CcosimError, match="month"):
        bench.save_timeline(1, "late", 12 * saved.horizon_years)


def test_a_unit_moved_under_its_former_report_replays_without_a_cycle(bench):
    scenario = bench.designs[1].current
    # cs_director manages csm_managers; edited: csm_managers above cs_director.
    up = by_id(scenario.org.units)["cs_director"].reports_to
    swapped = move_unit(scenario, "csm_managers", up)
    swapped = move_unit(swapped, "cs_director", "csm_managers")
    events = edits_timeline(scenario.org.units, swapped.org.units, 3)
    assert [e.action for e in events] == ["move_unit", "move_unit"]
    assert [e.id for e in events] == ["csm_managers", "cs_director"]


def test_the_studio_business_case_is_the_librarys(folder):
    wb = Workbench.open(
        [folder / "post_sales_cs.yaml", folder / "cco_full.yaml"], Folder.at(folder), years=1
    )
    settings = CaseSettings(target=1, hire_month=6, cco_cost=None, discount_rate=0.1, years=2)
    mine = run_case(wb, settings, runs=3)
    study = business_case_study(
        folder / "post_sales_cs.yaml", folder / "cco_full.yaml", hire_month=6, years=2, runs=3
    )
    theirs = business_case(study, discount_rate=0.1, goal_seek=False)
    assert np.array_equal(mine.net_value, theirs.net_value), "the same numbers as the CLI's"
    summary = case_summary(mine)
    assert summary.npv[0] in "+-$" and "customer randomness only" in summary.covers
    svg = net_value_svg(mine)
    assert "<polyline" in svg and "hire month 6" in svg and "<script" not in svg
    dearer = case_study(wb, CaseSettings(1, 6, 900000.0, 0.1, 2), runs=2)
    assert by_id(dearer.hire.target.org.units)["cco"].cost == 900000.0
    with pytest.raises(CcosimError, match="hire month"):
        case_study(wb, CaseSettings(1, 24, None, 0.1, 2), runs=2)
    with pytest.raises(CcosimError, match="other than the first"):
        case_study(wb, CaseSettings(0, 6, None, 0.1, 2), runs=2)


def test_a_five_thousand_person_hris_upload_becomes_a_design(bench, tmp_path):
    export = tmp_path / "hris.csv"
    export.write_text(big_hris_csv(), encoding="utf-8")
    started = time.perf_counter()
    outcome = import_design(bench, export, "hris.csv")
    assert outcome.index == 2, outcome
    imported = bench.designs[2].current
    assert len(imported.org.units) == 5000
    assert imported.customers == bench.designs[0].current.customers
    view = org_view(imported, label="hris")
    assert view["folded"] and view["units"][0]["rollup_heads"] == 5000
    assert sum(1 for u in view["units"] if u["dotted"]) == 49
    assert sum(u["open"] for u in view["units"]) == 196, "TBH rows are open positions"
    assert time.perf_counter() - started < 30


def test_upload_problems_are_named_by_row_and_limits_hold(bench, tmp_path):
    bad = tmp_path / "0.csv"  # Shiny stores an upload under a number
    bad.write_text("id,manager_id,title,salary\n1,,CEO,100\n2,1,CSM,abc\n3,9,CSM,100\n")
    outcome = import_design(bench, bad, "people.csv")
    assert outcome.index is None and "2 problems" in outcome.headline
    assert outcome.lines[0].startswith("people.csv:3: column 'salary'")
    assert outcome.lines[1].startswith("people.csv:4: column 'manager_id'")
    assert all("0.csv" not in line for line in outcome.lines)
    lenient = import_design(bench, bad, "people.csv", lenient=True)
    assert lenient.index == 2 and len(bench.designs) == 3
    assert import_design(bench, bad, "people.pdf").headline.endswith(
        "upload a CSV or .xlsx HRIS export"
    )
    big = tmp_path / "1.csv"
    with big.open("wb") as f:
        f.truncate(MAX_UPLOAD_FILE_BYTES + 1)
    assert "upload limit" in import_design(bench, big, "big.csv").headline
    for _ in range(2):
        import_design(bench, bad, "people.csv", lenient=True)
    assert len(bench.designs) == 5
    assert "at most 5" in import_design(bench, bad, "people.csv", lenient=True).headline


def test_the_research_ranking_is_shown_only_with_draws_enough_to_rank():
    from ccosim.studio.app import _research_note

    few = {"draws": 20, "research_draws": 50, "keys": 5}
    assert "too few to rank" in _research_note(few, [("assumptions.x", 1000.0)])
    enough = {"draws": 60, "research_draws": 50, "keys": 5}
    ranked = _research_note(enough, [("assumptions.x", 12000.0)])
    assert ranked.startswith("Worth researching first: assumptions.x (EVPPI $12")
    assert "distinguishable from zero" in _research_note(enough, [])


def test_hostile_text_in_an_edit_reads_back_as_text_in_both_saves(bench):
    hostile = "Head of CS\nhorizon_years: 1 # {a: [b]} 'quoted' \"too\""
    bench.edit(1, "support_mgr", {"title": hostile, "name": "- item: x"})
    for path in (bench.save(1, "hostile-design"), bench.save_timeline(1, "hostile-timeline", 4)):
        saved = load(path)
        assert saved.horizon_years == bench.designs[1].original.horizon_years, path.name
        units = by_id(org_at(saved, 4))
        assert units["support_mgr"].title == hostile and units["support_mgr"].name == "- item: x"
