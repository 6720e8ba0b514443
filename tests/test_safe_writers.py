"""One safe writer for YAML, comments and spreadsheets: user text never becomes key or formula."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from ccosim.calibrate.writer import calibrated_scenario_text
from ccosim.cli import main
from ccosim.io.authoring import unit_line
from ccosim.scenario.schema import Unit
from ccosim.yaml_text import comment_lines, comment_text, dump, scalar
from tests.conftest import MINIMAL

INJECTION = "x\nhorizon_years: 1"
HOSTILE = [
    INJECTION,
    "a\r\nassumptions: {org_effects: false}",
    "line\u2028sep",
    "para\u2029sep",
    "next\x85line",
    "\x1b[31mred",
    "tab\there",
    "nul\x00byte",
    "# not a comment",
    "key: value",
    "- item",
    "yes",
    "null",
    "1.0",
    "&anchor *alias",
    "!!python/object:os.system",
    "'quoted'",
    '"double"',
    "{a: 1}",
    "",
    " padded ",
    "\ufeffbom",
    '=HYPERLINK("http:evil.example","x")',
]


def cli(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=True)


def test_compare_xlsx_writes_no_formula_for_a_hostile_design_name(tmp_path):
    baseline = tmp_path / "baseline.yaml"
    baseline.write_text(MINIMAL, encoding="utf-8")
    hostile = tmp_path / '=HYPERLINK("http:evil.example","x").yaml'
    hostile.write_text(MINIMAL.replace("name: Minimal", "name: '=1+1'"), encoding="utf-8")
    out = tmp_path / "report"
    result = cli(
        "compare", baseline, hostile, "--runs", "2", "--no-attribution",
        "--format", "xlsx", "-o", out,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out / "data" / "tables.xlsx")
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    assert any(t.startswith("=HYPERLINK") for t in texts)  # kept as text, exactly


def _calibrated_keys(path: Path) -> tuple[set[str], dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return set(data), data


def test_a_set_value_with_a_newline_adds_no_key_to_the_calibrated_file(tmp_path):
    scenario = tmp_path / "S.yaml"
    scenario.write_text(MINIMAL, encoding="utf-8")
    out = tmp_path / "calibrated.yaml"
    result = cli(
        "calibrate", "kpis", scenario, "--target", "smb.logo_retention=0.85",
        "--set", "name='x\nhorizon_years: 1'", "--runs", "4", "-q", "-o", out,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    keys, data = _calibrated_keys(out)
    # The targets are stored too (calibration:, re-fitted under --draws); nothing else.
    assert keys == {"extends", "name", "customers", "calibration"}
    assert set(data["customers"]["segments"]) == {"smb"}
    assert set(data["calibration"]["targets"]) == {"smb.logo_retention"}
    assert "with --set name='x\\nhorizon_years: 1'" in out.read_text(encoding="utf-8")


def test_a_cohort_name_with_a_newline_adds_no_key_to_the_calibrated_file(tmp_path):
    scenario = tmp_path / "S.yaml"
    scenario.write_text(MINIMAL, encoding="utf-8")
    cohorts = tmp_path / "cohorts.csv"
    rows = [f'"{INJECTION}",{p},{n}' for p, n in enumerate([1000, 850, 740, 660, 600])]
    rows += [
        f'"2020\nassumptions: {{org_effects: false}}",{p},{n}'
        for p, n in enumerate([900, 770, 680])
    ]
    cohorts.write_text("cohort,period,active\n" + "\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "calibrated.yaml"
    result = cli("calibrate", "retention", cohorts, "--scenario", scenario, "-o", out)
    assert result.exit_code == 0, result.output
    keys, data = _calibrated_keys(out)
    assert keys == {"extends", "name", "customers"}
    assert set(data["customers"]["segments"]) == {"smb"}
    text = out.read_text(encoding="utf-8")
    assert "x\\nhorizon_years: 1" in text and "\nhorizon_years" not in text
    assert "\nassumptions" not in text


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_round_trips_through_every_writer(text):
    data = {text: text, "name": text, "list": [text, 1, 2.5], "nested": {text: [text]}}
    document = comment_lines([text, f"with --set {text}"]) + "\n" + dump(data)
    assert yaml.safe_load(document) == data  # exactly the keys and values intended
    assert all(line.startswith("#") for line in comment_lines([text, text]).splitlines())
    assert yaml.safe_load(f"k: {scalar(text)}  # {comment_text(text)}\n") == {"k": text}
    assert "\n" not in scalar(text) and "\n" not in comment_text(text)


#: The hostile texts a unit may hold (the schema refuses control characters in text).
UNIT_TEXT = [
    t for t in HOSTILE if t.strip() and not re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]", t)
]


@pytest.mark.parametrize("text", UNIT_TEXT)
def test_an_imported_unit_with_hostile_text_reads_back_as_written(text):
    unit = Unit(id="u1", title=text, name=text, function="customer_success")
    line = unit_line(unit)
    assert "\n" not in line
    assert yaml.safe_load(f"units:\n  - {line}  # {comment_text(text)}\n") == {
        "units": [unit.model_dump(mode="json", exclude_defaults=True) | {"id": "u1"}]
    }


def test_calibrated_scenario_text_keeps_hostile_segment_names_and_comments(tmp_path):
    segments = {name or "s": {"base_churn": 0.1} for name in HOSTILE}
    text = calibrated_scenario_text(
        tmp_path / "S.yaml", tmp_path / "out.yaml", INJECTION, segments, HOSTILE
    )
    data = yaml.safe_load(text)
    assert set(data) == {"extends", "name", "customers"}
    assert data["name"] == INJECTION
    assert data["customers"]["segments"] == segments


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.text(max_size=12), st.text(max_size=12) | st.integers(), max_size=4),
    st.lists(st.text(max_size=20), max_size=3),
)
def test_any_text_round_trips(data, comments):
    document = comment_lines(comments) + "\n" + dump({"data": data})
    assert yaml.safe_load(document) == {"data": data}


def test_the_docstring_example_of_an_injected_comment_is_one_line():
    block = comment_lines(["Calibrated with --set name=a\nhorizon_years: 1"])
    assert block == textwrap.dedent("# Calibrated with --set name=a\\nhorizon_years: 1")
