"""A business case over several options at once, and the horizon the answer is read at.

What a CEO would miss if these broke: one run that weighs promoting, hiring and a flat org
against today on the same customers, in one table and one JSON entry per option; P(best
option) that adds up under draws; and a one-pager that leads with the horizon they chose and
says what longer horizons assume.
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from ccosim.cli import main
from ccosim.experiment.business_case import PERSISTENCE
from ccosim.experiment.compare import CompareError
from ccosim.experiment.options import Option, parse_option, route_set_options
from ccosim.experiment.study import Execution
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


def _drawn(net_npv, rng):
    """Per-draw summaries of the status quo and options with the given NPVs against it."""
    from ccosim.experiment.psa import SUMMARY_KPIS, PsaResult, UncertainKey
    from ccosim.scenario.uncertainty import Uniform

    draws, designs = net_npv.shape
    key = UncertainKey(
        "assumptions.handoff.decay_per_hop",
        Uniform(dist="uniform", low=0.0, high=0.3),
        tuple(range(designs)),
    )
    base = rng.normal(50e6, 1e6, size=(draws, 1))
    return PsaResult(
        labels=("post_sales_cs", "hire", "flat")[:designs],
        keys=(key,),
        parameters=rng.uniform(0, 0.3, size=(draws, 1)),
        kpis=np.zeros((draws, designs, len(SUMMARY_KPIS))),
        npv=base + net_npv,
        value=base + net_npv,
        net_npv=net_npv,
        net_value=net_npv,
        break_even=np.full((draws, designs), np.nan),
        runs=1,
        seed=1,
        method="lhs",
        discount_rate=0.1,
        horizon_months=60,
        extras={"simulated_months": 108, "hire_months": (0, 12, 12)[:designs]},
    )


def test_the_status_quo_is_an_option_that_can_win():
    from ccosim.experiment.option_draws import option_answers

    rng = np.random.default_rng(7)
    losing = np.column_stack([np.zeros(40), rng.normal(-2e6, 3e5, 40), rng.normal(-1e6, 3e5, 40)])
    answers = option_answers(_drawn(losing, rng), bootstrap=0)
    best = {name: o["p_best"] for name, o in answers["options"].items()}
    assert best == {"post_sales_cs": 1.0, "hire": 0.0, "flat": 0.0}
    assert answers["evpi"] == 0.0, "no draw changes the choice: nothing is worth knowing"
    split = np.column_stack([np.zeros(40), rng.normal(0, 1e6, 40), rng.normal(0, 1e6, 40)])
    answers = option_answers(_drawn(split, rng), bootstrap=0)
    shares = [o["p_best"] for o in answers["options"].values()]
    assert sum(shares) == pytest.approx(1.0) and min(shares) > 0
    assert answers["options"]["hire"]["npv"]["low"] < answers["options"]["hire"]["npv"]["high"]


def test_drawn_unit_values_reach_every_option_through_its_transition(tmp_path):
    """A range on a unit's headcount reaches each option, rebuilt with its own hire month."""
    from ccosim.experiment.option_draws import options_psa
    from ccosim.experiment.options import options_study

    shutil.copy(SCENARIOS / "_company.yaml", tmp_path / "_company.yaml")
    paths = {}
    for name in ("post_sales_cs", "cco_full"):
        data = yaml.safe_load((SCENARIOS / f"{name}.yaml").read_text())
        data["uncertainty"] = {
            "org.units.csm_smb.headcount": {"dist": "discrete", "values": [1, 40]},
        }
        paths[name] = tmp_path / f"{name}.yaml"
        paths[name].write_text(yaml.safe_dump(data, sort_keys=False))
    study = options_study(
        paths["post_sales_cs"],
        [Option("early", str(paths["cco_full"]), 3), Option("late", str(paths["cco_full"]), 9)],
        runs=1,
        years=1,
        execution=Execution(workers=1),
    )
    drawn = options_psa(study, draws=4)
    column = [k.path for k in drawn.keys].index("org.units.csm_smb.headcount")
    few = drawn.parameters[:, column] == 1
    assert few.any() and (~few).any()
    # The drawn team size reaches the status quo and each option rebuilt from it: within
    # one year, 39 more SMB CSMs cost far more than the retention they buy.
    assert np.all(np.isfinite(drawn.net_npv))
    for design in range(3):
        assert drawn.npv[few, design].mean() > drawn.npv[~few, design].mean() + 1e6
