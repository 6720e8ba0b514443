"""Round 3 of the hostile-user corpus (issue 25): each class of failure it found, pinned.

Every test here failed before its fix: a traceback, or a file that passed ``validate`` and was
refused (or misread) later. Bad input must end in a message naming the option, file or key,
with exit code 2 and no traceback.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccosim.cli import main
from ccosim.errors import CcosimError
from ccosim.experiment.options import parse_option

REPO = Path(__file__).resolve().parent.parent
BASE = str(REPO / "scenarios/post_sales_cs.yaml")


def _invoke(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, args)
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), repr(result.exception)
    return result.exit_code, result.output


@pytest.mark.parametrize("month", ["²", "³", "¹²"])
def test_an_option_month_in_superscript_digits_is_refused_with_a_message(month: str) -> None:
    # str.isdigit() accepts '²' but int() does not: this was a ValueError traceback.
    with pytest.raises(CcosimError, match="whole number of months"):
        parse_option(f"hire=scenarios/cco_full.yaml@{month}")


def test_plan_quarters_beyond_a_horizon_set_by_hand_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "plan"
    code, output = _invoke(
        ["plan", BASE, "--runs", "2", "--quarters", "8", "--set", "horizon_years=1", "-o", str(out)]
    )
    assert code == 2, output
    assert "--quarters 8" in output and "horizon_years=1" in output
    assert not out.exists()


COHORTS = "segment,cohort,period,active\n"


def _cohorts(names: list[str]) -> str:
    rows = [f'"{n}",2019,{p},{k}\n' for n in names for p, k in enumerate([1000, 700, 520, 410])]
    return COHORTS + "".join(rows)


def test_cohort_names_in_the_survival_chart_are_drawn_as_typed(tmp_path: Path) -> None:
    # "$\frac{1}$" made matplotlib's mathtext raise after the fit; "$5k to $10k" was italic.
    from ccosim.calibrate.charts import survival_figure
    from ccosim.calibrate.retention import fit_sbg, read_cohorts

    names = [r"$\frac{1}$", "$5k to $10k"]
    csv = tmp_path / "c.csv"
    csv.write_text(_cohorts(names), encoding="utf-8")
    chart = tmp_path / "c.png"
    code, output = _invoke(["calibrate", "retention", str(csv), "--chart", str(chart)])
    assert code == 0, output
    assert chart.stat().st_size > 1000
    table = read_cohorts(csv, None)
    fits = {seg: fit_sbg(groups) for seg, groups in table.segments.items()}
    legend = survival_figure(fits, 5).axes[0].get_legend()
    shown = {t.get_text(): t.get_parse_math() for t in legend.get_texts()}
    assert {n for n in names if any(n in t for t in shown)} == set(names)
    assert not any(shown.values())


def _calibrated(tmp_path: Path, targets: str) -> Path:
    path = tmp_path / "mine.yaml"
    shutil.copytree(REPO / "scenarios", tmp_path / "scenarios")  # bases stay in the folder
    base = "scenarios/post_sales_cs.yaml"
    path.write_text(
        f"extends: {base}\nname: mine\ncalibration:\n  targets:\n{targets}", encoding="utf-8"
    )
    return path


@pytest.mark.parametrize(
    ("targets", "said"),
    [
        ("    entreprise.nrr: 1.05\n", "'entreprise' is not a customer segment"),
        ("    enterprise.logo_retention: 1.5\n", "logo_retention 1.5 is above 1"),
        ("    smb.grr: 1.01\n", "grr 1.01 is above 1"),
    ],
)
def test_a_stored_calibration_edited_by_hand_is_refused_by_validate(
    tmp_path: Path, targets: str, said: str
) -> None:
    # Before: validate said ok, and the first --draws run refused (or fitted the impossible).
    from ccosim.scenario import ScenarioError, load

    path = _calibrated(tmp_path, targets)
    with pytest.raises(ScenarioError, match=said) as caught:
        load(path)
    assert f"{path}:5:5" in str(caught.value)  # the file, line and column of the key


def test_a_stored_calibration_within_bounds_still_loads(tmp_path: Path) -> None:
    from ccosim.scenario import load

    path = _calibrated(tmp_path, "    enterprise.logo_retention: 0.93\n    smb.nrr: 1.02\n")
    assert load(path).calibration is not None


@pytest.mark.parametrize(
    "setting",
    [
        "customers.segments.smb.acv=1e308",
        "org.units.cco.cost=1e300",
        "assumptions.costs.salary.support=1e300",
    ],
)
def test_money_beyond_any_real_amount_is_refused_naming_the_key(setting: str) -> None:
    # Before: accepted; the run overflowed to an infinite ARR or cost with only numpy warnings.
    code, output = _invoke(
        [
            "run",
            str(REPO / "scenarios/cco_full.yaml"),
            "--runs",
            "2",
            "--years",
            "1",
            "--set",
            setting,
        ]
    )
    assert code == 2, output
    assert setting.split("=")[0] in output and "less than or equal to" in output


def test_a_ledger_arr_beyond_any_real_amount_names_its_row(tmp_path: Path) -> None:
    # Before: a starting book of 1e300 ARR; then a refusal that blamed the output folder.
    ledger = (REPO / "examples/ledger.csv").read_text(encoding="utf-8")
    first = ledger.splitlines()[1]
    hostile = first.replace(",150000.00,", ",1e300,", 1)
    path = tmp_path / "crm.csv"
    path.write_text(ledger.replace(first, hostile, 1), encoding="utf-8")
    out = tmp_path / "fitted.yaml"
    code, output = _invoke(
        [
            "calibrate",
            "accounts",
            str(path),
            str(REPO / "scenarios/cs_under_sales.yaml"),
            "-o",
            str(out),
        ]
    )
    assert code == 2, output
    assert f"{path}:2: column 'arr'" in output and "cannot extend" not in output
    assert not out.exists()


def test_sweep_year_beyond_a_horizon_set_by_hand_is_refused_before_the_work(
    tmp_path: Path,
) -> None:
    # Before: the sweep ran, then an IndexError traceback when reading year 5 of 1.
    out = tmp_path / "sweep"
    code, output = _invoke(
        [
            *("sweep", str(REPO / "scenarios/cco_full.yaml"), "--runs", "2"),
            *("--set", "horizon_years=1", "--year", "5", "-o", str(out)),
            *("--vary", "customers.segments.smb.base_churn=0.1:0.2:2"),
        ]
    )
    assert code == 2, output
    assert "--year" in output and "year 5 is beyond the 1 simulated year" in output
    assert not out.exists()


HRIS = "id,name,title,manager_id,department,salary,seat,staffing\n"


@pytest.mark.parametrize(
    ("seat", "staffing", "column"),
    [
        # 5,000 digits: int() refuses them with a ValueError, not a JSONDecodeError
        ('{""tenure_months"": ' + "9" * 5000 + "}", "", "seat"),
        # nested deeper than the JSON decoder's recursion
        ("", "[" * 50000 + "]" * 50000, "staffing"),
    ],
    ids=["seat-5000-digits", "staffing-50000-deep"],
)
def test_hris_json_cells_beyond_the_decoder_are_problems_of_their_row(
    tmp_path: Path, seat: str, staffing: str, column: str
) -> None:
    csv = tmp_path / "hris.csv"
    csv.write_text(
        HRIS
        + f'1,Ann,CEO,,Exec,300000,"{seat}","{staffing}"\n'
        + "2,Bo,VP Customer Success,1,Customer Success,200000,,\n",
        encoding="utf-8",
    )
    code, output = _invoke(["org", "import", str(csv), "-o", str(tmp_path / "o.yaml")])
    assert code == 2, output
    assert f"{csv.name}:2: column '{column}'" in output
    assert not (tmp_path / "o.yaml").exists()


def test_an_hris_seat_on_a_non_executive_row_is_a_problem_of_that_row(tmp_path: Path) -> None:
    # Before: a pydantic ValidationError traceback after every row was read.
    csv = tmp_path / "hris.csv"
    csv.write_text(
        HRIS + "1,Ann,CEO,,Exec,300000,,\n"
        '2,Cy,Support Engineer,1,Support,80000,"{""never_filled"": true}",\n',
        encoding="utf-8",
    )
    code, output = _invoke(["org", "import", str(csv), "-o", str(tmp_path / "o.yaml")])
    assert code == 2, output
    assert f"{csv.name}:3: column 'seat': only executive units have a seat" in output
    lenient = tmp_path / "lenient.yaml"
    code, output = _invoke(["org", "import", str(csv), "-o", str(lenient), "--lenient"])
    assert code == 0, output
    assert "never_filled" not in lenient.read_text(encoding="utf-8")  # imported without it


@pytest.mark.parametrize(
    "text", ["[" * 50000 + "]" * 50000, '{"tenure_months": ' + "9" * 5000 + "}"]
)
def test_org_file_json_cells_beyond_the_decoder_are_format_errors(text: str) -> None:
    from ccosim.io.formats.common import OrgFormatError, parse_seat, parse_staffing

    for parse in (parse_seat, parse_staffing):
        with pytest.raises(OrgFormatError, match=r"units\.csv:7"):
            parse(text, "units.csv:7")


def test_a_timeline_headcount_beyond_a_units_bound_is_refused_at_its_line(tmp_path: Path) -> None:
    # Before: validate said ok and run printed LTV:CAC -7,305,943 for a billion support agents.
    from ccosim.scenario import ScenarioError, load

    shutil.copytree(REPO / "scenarios", tmp_path / "scenarios")
    path = tmp_path / "scenarios/big.yaml"
    path.write_text(
        "extends: cco_full.yaml\nname: big\ntimeline:\n"
        "  - {month: 3, action: set_headcount, id: support_agents, headcount: 1e9}\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError, match="less than or equal to 100000") as caught:
        load(path)
    assert f"{path}:4:" in str(caught.value)


def test_a_ledger_without_last_years_arr_keeps_the_scenarios_expansion_and_contraction(
    tmp_path: Path,
) -> None:
    # Before: expansion 0.0% and contraction 0.0% "ARR-weighted over 0 accounts" replaced the
    # scenario's 8% and 3% (smb) in the calibrated file, silently.
    from ccosim.scenario import load

    shutil.copytree(REPO / "scenarios", tmp_path / "scenarios")
    ledger = tmp_path / "crm.csv"
    rows = [f"A{i},smb,2024-0{1 + i % 9}-01,,9000" for i in range(30)]
    ledger.write_text("account_id,segment,start_date,end_date,arr\n" + "\n".join(rows) + "\n")
    out = tmp_path / "scenarios/fitted.yaml"
    base = tmp_path / "scenarios/cs_under_sales.yaml"
    code, output = _invoke(["calibrate", "accounts", str(ledger), str(base), "-o", str(out)])
    assert code == 0, output
    assert "expansion and contraction left as they were" in output
    before, after = load(base).customers.segments["smb"], load(out).customers.segments["smb"]
    assert after.expansion_rate == before.expansion_rate > 0
    assert after.contraction_rate == before.contraction_rate > 0
    assert after.initial_accounts == 30  # the book itself is still the ledger's


def test_an_answers_file_saved_as_utf16_reads_as_its_utf8_original(tmp_path: Path) -> None:
    # Windows editors save "Unicode" text as UTF-16 with a byte-order mark; the answers file
    # (and any YAML) was refused with "save as UTF-8". It now reads exactly as the original;
    # a file that is neither UTF-8 nor UTF-16 is still refused, naming the file.
    from ccosim.assess.answers import read_answers

    original = Path("examples/readiness_answers.yaml")
    utf16 = tmp_path / "answers16.yaml"
    utf16.write_bytes(original.read_text(encoding="utf-8").encode("utf-16"))
    assert read_answers(utf16) == read_answers(original)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("churn_too_high: 'd\xe9j\xe0'\n".encode("cp1252"))
    result = CliRunner().invoke(main, ["validate", str(latin)])
    assert result.exit_code == 2 and str(latin) in result.output
    assert "save the file as UTF-8" in result.output and "Traceback" not in result.output


def test_a_survival_chart_of_many_cohorts_keeps_its_legend_short(tmp_path: Path) -> None:
    # 300 cohorts gave a 300-line legend that squeezed the plot away; the legend now names
    # the first twelve and says how many more are drawn.
    from ccosim.calibrate.charts import LEGEND_COHORTS, survival_figure
    from ccosim.calibrate.retention import fit_sbg, read_cohorts

    csv = tmp_path / "many.csv"
    csv.write_text(_cohorts([f"segment {i:02d}" for i in range(30)]), encoding="utf-8")
    table = read_cohorts(csv, None)
    fits = {seg: fit_sbg(groups) for seg, groups in table.segments.items()}
    texts = [t.get_text() for t in survival_figure(fits, 5).axes[0].get_legend().get_texts()]
    assert len(texts) == LEGEND_COHORTS + 1
    assert texts[-1] == f"+ {30 - LEGEND_COHORTS} more cohorts, not labelled"
