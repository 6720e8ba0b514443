"""The data folder is something an analyst can load: documented, validated, same columns."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import ccosim
from ccosim import kpis
from ccosim.cli import main
from ccosim.experiment.compare import run_comparison
from ccosim.report.compare_report import write_report
from tests.conftest import SCENARIOS

frictionless = pytest.importorskip("frictionless")
pd = pytest.importorskip("pandas")

CCO = SCENARIOS / "cco_full.yaml"
POST = SCENARIOS / "post_sales_cs.yaml"


@pytest.fixture(scope="module")
def comparison():
    return run_comparison([POST, CCO], runs=2, years=2, attribution=False, workers=1)


@pytest.fixture(scope="module")
def folder(comparison, tmp_path_factory):
    out = tmp_path_factory.mktemp("data") / "report"
    return write_report(comparison, out, formats=("parquet", "xlsx"), full_series=True)


def test_datapackage_validates_every_csv(folder):
    data = folder / "data"
    report = frictionless.validate(str(data / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    package = json.loads((data / "datapackage.json").read_text())
    names = {r["path"] for r in package["resources"]}
    assert names == {
        "kpis_yearly.csv",
        "kpis_by_segment.csv",
        "series_monthly.csv",
        "series_monthly_full.csv",
        "cohorts.csv",
        "kpis.csv",
    }
    for resource in package["resources"]:
        for field in resource["schema"]["fields"]:
            assert field["description"], (resource["path"], field["name"])


def test_the_validator_catches_a_wrong_kpi_name(folder, tmp_path):
    data = tmp_path / "copy"
    data.mkdir()
    for name in (
        "datapackage.json",
        "kpis.csv",
        "kpis_by_segment.csv",
        "series_monthly.csv",
        "series_monthly_full.csv",
    ):
        (data / name).write_bytes((folder / "data" / name).read_bytes())
    text = (folder / "data" / "kpis_yearly.csv").read_text().replace(",grr,", ",gross_rr,", 1)
    (data / "kpis_yearly.csv").write_text(text)
    assert not frictionless.validate(str(data / "datapackage.json")).valid


def test_every_table_is_long_with_the_same_columns(folder):
    data = folder / "data"
    yearly = pd.read_csv(data / "kpis_yearly.csv")
    assert list(yearly.columns) == ["scenario", "replication", "year", "kpi", "value"]
    assert set(yearly["kpi"]) == set(kpis.YEARLY)
    summary = pd.read_csv(data / "series_monthly.csv")
    assert list(summary.columns) == ["scenario", "month", "kpi", "mean", "lo", "hi"]
    full = pd.read_csv(data / "series_monthly_full.csv")
    assert list(full.columns) == ["scenario", "replication", "month", "kpi", "value"]
    assert len(summary) * 2 == len(full), "the summary has one row per design, month and kpi"
    assert set(pd.read_csv(data / "kpis.csv")["kpi"]) == set(kpis.CATALOGUE)


def test_parquet_and_excel_hold_the_same_tables(folder):
    data = folder / "data"
    csv = pd.read_csv(data / "kpis_yearly.csv")
    parquet = pd.read_parquet(data / "kpis_yearly.parquet")
    assert parquet.shape == csv.shape and list(parquet.columns) == list(csv.columns)
    sheets = pd.read_excel(data / "tables.xlsx", sheet_name=None)
    assert set(sheets) >= {"kpis_yearly", "series_monthly", "kpis"}
    assert sheets["kpis_yearly"].shape == csv.shape


def test_manifest_has_versions_and_hash_method(folder):
    manifest = json.loads((folder / "data" / "manifest.json").read_text())
    assert set(manifest["versions"]) >= {"python", "numpy", "numba", "simpy", "ccosim"}
    assert "sha256" in manifest["hash_method"] and "sort_keys" in manifest["hash_method"]
    assert manifest["paired"] is True


def test_to_frame_returns_the_documented_columns(comparison):
    frame = comparison.to_frame()
    assert list(frame.columns) == ["scenario", "replication", "year", "kpi", "value"]
    assert set(frame["scenario"]) == set(comparison.labels)
    assert len(frame) == 2 * 2 * 2 * len(kpis.YEARLY)  # designs x runs x years x KPIs
    monthly = comparison.results["CCO org"].to_frame("monthly")
    assert list(monthly.columns) == ["scenario", "replication", "month", "kpi", "value"]
    nrr = frame.query("scenario == 'CCO org' and kpi == 'nrr' and year == 2")["value"]
    assert nrr.mean() == pytest.approx(comparison.results["CCO org"].mean("nrr")[1])
    results = ccosim.simulate(ccosim.load(CCO, {"horizon_years": 1}), runs=1, seed=1)
    row = next(results.rows())
    assert row._fields == ("scenario", "replication", "month", "kpi", "value")


def test_series_monthly_is_a_summary_by_default(comparison, tmp_path):
    folder = write_report(comparison, tmp_path / "small")
    assert not (folder / "data" / "series_monthly_full.csv").exists()
    rows = (folder / "data" / "series_monthly.csv").read_text().count("\n") - 1
    assert rows == 2 * 24 * len(kpis.MONTHLY)


def test_sweep_folder_has_a_manifest_and_data_package(tmp_path):
    out = tmp_path / "sweep"
    result = CliRunner().invoke(
        main,
        [
            "sweep",
            str(CCO),
            "--vary",
            "customers.segments.smb.base_churn=0.10:0.22:3",
            "--runs",
            "2",
            "--set",
            "horizon_years=1",
            "--workers",
            "1",
            "-q",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["versions"]["numba"] and len(manifest["scenarios"]) == 3
    assert frictionless.validate(str(out / "datapackage.json")).valid
    assert (out / "line.png").exists(), "one factor is drawn as a line"


def test_business_case_folder_has_the_same_data_package(tmp_path):
    out = tmp_path / "case"
    result = CliRunner().invoke(
        main,
        [
            "business-case",
            str(POST),
            "--with",
            str(CCO),
            "--runs",
            "2",
            "--years",
            "1",
            "--no-goal-seek",
            "--workers",
            "1",
            "-q",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert frictionless.validate(str(out / "data" / "datapackage.json")).valid
    header = (out / "data" / "kpis_yearly.csv").read_text().splitlines()[0]
    assert header == "scenario,replication,year,kpi,value"
