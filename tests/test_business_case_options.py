"""A business case over several options at once, and the horizon the answer is read at.

What a CEO would miss if these broke: one run that weighs promoting, hiring and a flat org
against today on the same customers, in one table and one JSON entry per option; P(best
option) that adds up under draws; and a one-pager that leads with the horizon they chose and
says what longer horizons assume.
"""

from __future__ import annotations

import json
import shutil

import pytest
import yaml
from click.testing import CliRunner

from ccosim.cli import main
from ccosim.experiment.business_case import PERSISTENCE
from ccosim.experiment.compare import CompareError
from ccosim.experiment.options import Option, parse_option, route_set_options
from tests.conftest import SCENARIOS

CURRENT = SCENARIOS / "post_sales_cs.yaml"
CCO = SCENARIOS / "cco_full.yaml"
QUICK = ["--runs", "2", "--workers", "1", "--no-goal-seek"]


def _flat_org(folder):
    """The CCO org without the CCO: its direct reports under the CEO (written beside a base)."""
    shutil.copy(SCENARIOS / "_company.yaml", folder / "_company.yaml")
    data = yaml.safe_load(CCO.read_text())
    units = [u for u in data["org"]["units"] if u["id"] != "cco"]
    for unit in units:
        if unit.get("reports_to") == "cco":
            unit["reports_to"] = "ceo"
    data["org"]["units"] = units
    data["name"], data["label"] = "Post-sales heads under the CEO", "flat"
    path = folder / "flat_ceo.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_an_option_is_a_name_a_file_and_maybe_a_month(tmp_path):
    assert parse_option("hire=scenarios/cco_full.yaml") == Option("hire", "scenarios/cco_full.yaml")
    assert parse_option("hire=a/b.yaml@12") == Option("hire", "a/b.yaml", 12)
    odd = tmp_path / "x@y.yaml"
    odd.write_text("")
    assert parse_option(f"odd={odd}") == Option("odd", str(odd))
    for bad, says in (
        ("scenarios/cco_full.yaml", "NAME=FILE"),
        ("=a.yaml", "a name is letters"),
        ("a b=a.yaml", "a name is letters"),
        ("hire=a.yaml@soon", "whole number of months"),
    ):
        with pytest.raises(CompareError, match=says):
            parse_option(bad)


def test_set_values_reach_the_design_they_name():
    options = [Option("promote", "p/promote_vp.yaml"), Option("hire", "p/cco_full.yaml")]
    current, by_option = route_set_options(
        ["current:a=1", "hire:b=2", "cco_full:c=3", "target:d=4", "e=5", "promote_vp:f=6"],
        "post_sales_cs",
        options,
    )
    assert current == ["a=1", "e=5"]
    assert by_option == {"promote": ["d=4", "e=5", "f=6"], "hire": ["b=2", "c=3", "d=4", "e=5"]}


def test_several_options_print_one_table_and_one_json_entry_each(tmp_path):
    flat = _flat_org(tmp_path)
    out = tmp_path / "options.json"
    args = [
        "business-case",
        str(CURRENT),
        "--years",
        "2",
        "--hire-month",
        "6",
        "--option",
        f"hire={CCO}",
        "--option",
        f"flat={flat}@0",
        "--option",
        f"sales={SCENARIOS / 'cs_under_sales.yaml'}",
        *QUICK,
    ]
    result = CliRunner().invoke(main, [*args, "--json", str(out), "-o", str(tmp_path / "bc")])
    assert result.exit_code == 0, result.output
    table = [line.split()[0] for line in result.output.splitlines() if line[:1].isalnum()]
    assert table.count("option") == 1, "one table"
    assert {"status_quo", "hire", "flat", "sales"} <= set(table)
    data = json.loads(out.read_text())
    assert list(data["options"]) == ["status_quo", "hire", "flat", "sales"]
    for entry in data["options"].values():
        assert set(entry["npv"]) == {"mean", "low", "high"}
        assert "break_even_month" in entry
    assert data["options"]["status_quo"]["npv"] == {"mean": 0.0, "low": 0.0, "high": 0.0}
    assert data["options"]["hire"]["hire_month"] == 6
    assert data["options"]["hire"]["in_post_month"] == 11  # the 5-month executive search
    assert data["options"]["flat"]["hire_month"] == 0
    assert data == json.loads((tmp_path / "bc" / "data" / "business_case.json").read_text())
    page = (tmp_path / "bc" / "report.html").read_text()
    assert all(name in page for name in ("status_quo", "hire", "flat", "sales"))
    # One option among several reads exactly as that option run alone (same customers).
    one = ["business-case", str(CURRENT), "--with", str(CCO), "--years", "2", "--hire-month", "6"]
    alone = CliRunner().invoke(main, [*one, *QUICK, "--json", "-"])
    assert alone.exit_code == 0, alone.output
    single = json.loads(alone.stdout)
    assert single["options"]["cco_full"]["npv"] == data["options"]["hire"]["npv"]
    assert single["npv"] == data["options"]["hire"]["npv_whole_horizon"]


def test_under_draws_p_best_covers_every_option_and_sums_to_one(tmp_path):
    flat = _flat_org(tmp_path)
    result = CliRunner().invoke(
        main,
        [
            "business-case",
            str(CURRENT),
            "--with",
            str(CCO),
            "--option",
            f"flat={flat}",
            "--years",
            "1",
            "--draws",
            "6",
            "--runs",
            "1",
            "--workers",
            "1",
            "--json",
            "-",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data["options"]) == ["status_quo", "cco_full", "flat"]
    shares = [o["p_best"] for o in data["options"].values()]
    assert sum(shares) == pytest.approx(1.0) and all(0 <= s <= 1 for s in shares)
    assert data["options"]["status_quo"]["npv"]["mean"] == 0.0
    assert data["covers"] == "assumption uncertainty and customer randomness"
    drawn = set(data["assumptions"]) if "assumptions" in data else None
    assert set(data["evppi"]) and (drawn is None or set(data["evppi"]) == drawn)
    assert "P(best)" in result.stderr


def test_the_one_pager_leads_with_five_years_and_says_what_longer_ones_assume():
    args = ["business-case", str(CURRENT), "--with", str(CCO), *QUICK]
    result = CliRunner().invoke(main, [*args, "--set", "horizon_years=7", "--json", "-"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["lead"]["months"] == 60 and not data["lead"]["chosen"]
    assert [h["months"] for h in data["by_horizon"]] == [36, 60, 84]
    lines = [line for line in result.stderr.splitlines() if "  " in line]
    assert lines[0].startswith("net value over 5 years") and "your horizon" in lines[0]
    assert "assume the lift persists" in result.stderr
    assert PERSISTENCE.split(":")[0] in data["horizon_note"]
    chosen = CliRunner().invoke(main, [*args, "--years", "3", "--json", "-"])
    data = json.loads(chosen.stdout)
    assert data["lead"] == {**data["lead"], "months": 36, "chosen": True}
    assert "persists" not in chosen.stderr, "nothing beyond the chosen horizon to caveat"


def test_bad_options_exit_2_with_a_message(tmp_path):
    base = ["business-case", str(CURRENT), "--runs", "2"]
    for extra, says in (
        ([], "--with FILE, or --option"),
        (["--option", f"a={CCO}", "--option", f"a={CCO}"], "repeated"),
        (["--option", f"status_quo={CCO}"], "another name"),
        (["--option", f"late={CCO}@500"], "option late: --hire-month must be between"),
        (["--option", f"a={CCO}", "--answers", str(CCO)], "--answers goes with one"),
    ):
        result = CliRunner().invoke(main, [*base, *extra])
        assert result.exit_code == 2, (extra, result.output)
        assert says in result.output and "Traceback" not in result.output
