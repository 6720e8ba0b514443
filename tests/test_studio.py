"""The studio without a browser: edits, undo, saving, the folder, the guard, the KPI table."""

from __future__ import annotations

import asyncio
import http.client
import subprocess
import sys
import threading
import time

import pytest

pytest.importorskip(
    "shiny", reason="the studio extra is not installed (pip install ccosim[studio])"
)

from click.testing import CliRunner

from ccosim.cli import main
from ccosim.org import OrgGraph, diff_orgs
from ccosim.org.edit import OrgEditError, move_unit, update_unit
from ccosim.scenario import load
from ccosim.studio.folder import Folder, FolderError
from ccosim.studio.guard import allowed_hosts
from ccosim.studio.jobs import Cancelled, Jobs, Progress
from ccosim.studio.kpi_table import kpi_table
from ccosim.studio.org_view import org_records, org_view
from ccosim.studio.workbench import Workbench
from tests.studio_support import big_org, design_folder, served


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return design_folder(tmp_path_factory.mktemp("studio"))


@pytest.fixture
def bench(folder):
    return Workbench.open(
        [folder / "post_sales_cs.yaml", folder / "cxo_tech_touch.yaml"], Folder.at(folder), years=1
    )


def test_a_move_is_undone_and_redone_and_the_format_refuses_a_cycle(bench):
    original = bench.designs[1].current
    bench.move(1, "renewals_mgr", "cxo")
    assert bench.changed_units(1) == {"renewals_mgr"}
    assert bench.undo() == 1 and bench.designs[1].current is original
    assert bench.redo() == 1 and bench.changed_units(1) == {"renewals_mgr"}
    with pytest.raises(OrgEditError, match="below"):
        bench.move(1, "cxo", "csm_smb")  # under its own subtree
    with pytest.raises(OrgEditError):
        move_unit(original, "ceo", "cxo")  # the top cannot move


def test_unit_edits_are_checked_field_by_field(bench):
    scenario = bench.designs[0].current
    with pytest.raises(OrgEditError) as refused:
        update_unit(scenario, "renewal_reps", {"headcount": -3, "title": ""})
    assert set(refused.value.problems) == {"headcount", "title"}
    edited = update_unit(scenario, "renewal_reps", {"headcount": 7, "cost": ""})
    assert next(u for u in edited.org.units if u.id == "renewal_reps").headcount == 7


def test_saved_design_validates_and_differs_by_exactly_the_move(bench, folder):
    bench.move(1, "renewals_mgr", "cxo")
    path = bench.save(1, "cxo-renewals-moved")
    assert path.parent == folder and path.name == "cxo-renewals-moved.yaml"
    assert CliRunner().invoke(main, ["validate", str(path)]).exit_code == 0
    saved, opened = load(path), load(folder / "cxo_tech_touch.yaml")
    assert saved.org == bench.designs[1].current.org
    assert saved.horizon_years == opened.horizon_years, "the design's own horizon, not the run's"
    diff = diff_orgs(OrgGraph.from_scenario(opened), OrgGraph.from_scenario(saved))
    assert [(m.id, m.to_manager) for m in diff.moved] == [("renewals_mgr", "cxo")]
    assert not (diff.added or diff.removed or diff.changed)
    with pytest.raises(FolderError, match="exists"):
        bench.save(1, "cxo-renewals-moved")
    moves = bench.save_moves(1, "moves").read_text(encoding="utf-8")
    assert moves.splitlines()[1].startswith("renewals_mgr,")


def test_the_board_report_and_the_hris_csv_are_written_into_the_folder(bench, folder):
    bench.move(1, "renewals_mgr", "cxo")
    report = bench.write_report(bench.compare(runs=2), "board report")
    assert report.parent == folder
    assert (report / "report.html").is_file() and (report / "data" / "datapackage.json").is_file()
    assert "CXO tech touch" in (report / "report.html").read_text(encoding="utf-8")
    hris = bench.save_hris(1, "cxo-hris").read_text(encoding="utf-8")
    assert "renewals_mgr,cxo," in hris


def test_the_folder_is_the_only_place_read_or_written(folder, tmp_path):
    where = Folder.at(folder)
    for name in ("../escape", "/etc/passwd", "a/b", ".hidden", ""):
        with pytest.raises(FolderError):
            where.new_file(name, (".yaml",))
    outside = tmp_path / "outside.yaml"
    outside.write_text("name: x\n", encoding="utf-8")
    with pytest.raises(FolderError, match="outside"):
        Workbench.open([outside], where, years=1)
    with pytest.raises(FolderError, match="exists"):
        where.new_file("cco_full.yaml", (".yaml",))  # an input is never replaced


def test_sliders_are_bounded_by_the_ranges_and_change_the_runs(bench):
    sliders = bench.sliders()
    assert sliders and all(s.low <= s.value <= s.high and s.reason for s in sliders)
    lift = next(s for s in sliders if s.path == "assumptions.customer_success.health_lift")
    bench.set_assumption(lift.path, 1000)
    assert bench.assumptions[lift.path] == lift.high
    assert bench.scenario(0).assumptions.customer_success.health_lift == lift.high
    assert bench.designs[0].current.assumptions.customer_success.health_lift != lift.high


def test_kpi_table_says_what_every_interval_covers(bench):
    table = kpi_table(bench.compare(runs=2))
    assert table.headers[1:4] == ["GRR", "NRR", "logo retention"]
    assert "customer randomness only" in table.caption
    assert "same simulated customers" in table.caption
    assert [label for label, _ in table.rows] == bench.labels
    assert table.rows[0][1][-1].value == "(reference)"
    assert table.rows[1][1][-1].value[0] in "+-$"


def test_a_five_thousand_person_org_rolls_up_without_recursion():
    scenario = big_org()
    started = time.perf_counter()
    view = org_view(scenario, label="big")
    elapsed = time.perf_counter() - started
    assert len(view["units"]) == 5000 and view["folded"]
    assert view["units"][0]["rollup_heads"] == 5000
    assert elapsed < 2.0


def test_rollups_and_spans_match_the_org_graph(folder):
    scenario = load(folder / "cco_full.yaml")
    graph = OrgGraph.from_scenario(scenario)
    for record in org_records(scenario):
        assert record["rollup_cost"] == pytest.approx(graph.rollup_cost(record["id"]))
        if record["span"] is not None:
            assert record["span"] == pytest.approx(graph.span(record["id"]))


def test_hosts_allowed_are_the_servers_own():
    assert allowed_hosts("127.0.0.1", 8000) == {"127.0.0.1:8000", "localhost:8000"}


def _get(url: str, headers: dict[str, str]) -> int:
    host, port = url.removeprefix("http://").rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", "/", headers=headers)
    status = connection.getresponse().status
    connection.close()
    return status


def test_a_foreign_host_or_origin_and_an_oversized_body_are_refused(folder):
    with served(folder, ["post_sales_cs.yaml", "cco_full.yaml"]) as url:
        port = url.rstrip("/").rsplit(":", 1)[1]
        assert _get(url, {"Host": f"127.0.0.1:{port}"}) == 200
        assert _get(url, {"Host": f"localhost:{port}"}) == 200
        assert _get(url, {"Host": "evil.example"}) == 403
        assert _get(url, {"Host": f"evil.example:{port}"}) == 403
        origin = {"Host": f"127.0.0.1:{port}", "Origin": "http://evil.example"}
        assert _get(url, origin) == 403
        connection = http.client.HTTPConnection("127.0.0.1", int(port), timeout=10)
        connection.putrequest("POST", "/upload", skip_host=True)
        connection.putheader("Host", f"127.0.0.1:{port}")
        connection.putheader("Content-Length", str(200 * 1024 * 1024))
        connection.endheaders()
        assert connection.getresponse().status == 413, "over the upload limit"
        connection.close()


def test_jobs_are_cancelled_when_the_server_stops():
    jobs = Jobs()
    running = threading.Event()

    def work(progress):
        execution = progress.execution()
        execution.total(10**6)
        for i in range(10**6):
            running.set()
            time.sleep(0.005)
            execution.on_done(i + 1)

    progress = jobs.start(work)
    assert running.wait(10)
    started = time.perf_counter()
    jobs.shutdown()
    jobs._pool.shutdown(wait=True)  # returns once the job has stopped
    assert progress.cancelled and time.perf_counter() - started < 2
    with pytest.raises(Cancelled):
        asyncio.run(jobs.run(work, Progress()))


def test_help_does_not_import_the_studio_extra():
    code = (
        "import sys; from ccosim.cli import main\ntry: main(['--help'])\nexcept SystemExit: pass\n"
    )
    code += "print(sorted(m for m in sys.modules if m.split('.')[0] in ('shiny', 'uvicorn')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
    assert "studio" in out.stdout
