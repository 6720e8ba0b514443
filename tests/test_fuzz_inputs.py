"""Fuzzing the other doors: --set values, HRIS CSV cells and readiness answers files.

Whatever is typed, the CLI either works or exits 2 with a message: never a traceback, and
never a hang (each example has a deadline; the readers are bounded).
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccosim.cli import main
from ccosim.scenario import load
from tests.conftest import MINIMAL

BOUNDED = settings(
    max_examples=40,
    deadline=timedelta(seconds=10),  # a hang or a runaway allocation fails the example
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def exits_cleanly(*args: object) -> int:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"traceback escaped: {result.exception!r}\n{result.output}")
    assert result.exit_code in (0, 2), (result.exit_code, result.output)
    assert "Traceback" not in result.output
    return result.exit_code


PATHS = st.sampled_from(
    [
        "name",
        "horizon_years",
        "seed",
        "customers.segments.smb.initial_accounts",
        "customers.segments.smb.acv",
        "customers.segments.smb",
        "org.units.csm.headcount",
        "org.units.0",
        "org.units.9.title",
        "timeline.0.month",
        "assumptions.costs.salary.support",
        "assumptions.health",
        "name.foo",
        "a..b",
    ]
)
VALUES = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "&a [*a]",
            "&a [[*a]]",
            "1:30",
            "0017",
            ".inf",
            "-.nan",
            "yes",
            "!!python/object:os.system ls",
            '"\\x1b]0;x\\x07"',
            "{a: &x [1, 2], b: *x}",
            "[" * 100,
            "1e400",
            "~",
        ]
    ),
)


@BOUNDED
@given(PATHS, VALUES)
def test_set_values_never_escape_as_tracebacks(tmp_path_factory, path, value):
    scenario = tmp_path_factory.mktemp("set") / "s.yaml"
    scenario.write_text(MINIMAL)
    exits_cleanly("validate", scenario, "--set", f"{path}={value}")


CELLS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "x\nhorizon_years: 1",
            "x\r\nassumptions: {org_effects: false}",
            '=HYPERLINK("http://x")',
            "\x00",
            "\u2028name: pwned",
            "1e308",
            "-5",
            "",
        ]
    ),
)


def _csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["emp_id", "manager_id", "job_title", "name", "salary", "department"])
    writer.writerows(rows)
    return buffer.getvalue()


@BOUNDED
@given(st.lists(st.lists(CELLS, min_size=6, max_size=6), min_size=1, max_size=5))
def test_hris_cells_never_escape_and_never_inject_keys(tmp_path_factory, cells):
    folder = tmp_path_factory.mktemp("hris")
    rows = [["1", "", "Chief Executive Officer", "Ada", "200000", "Executive"], *cells]
    source = folder / "hris.csv"
    source.write_text(_csv_text(rows), encoding="utf-8")
    out = folder / "org.yaml"
    if exits_cleanly("org", "import", source, "-o", out, "--lenient") == 0:
        data = yaml.safe_load(out.read_text(encoding="utf-8"))
        assert set(data) <= {"name", "customers", "org"}, set(data)
        load(out)


ANSWER_TREES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=15)),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=20), children, max_size=4)
    ),
    max_leaves=12,
)
ANSWER_KEYS = st.sampled_from(
    ["churn_too_high", "customers", "cs_team_size", "executives", "renewal_owner", "x"]
)


@BOUNDED
@given(
    st.one_of(
        ANSWER_TREES.map(yaml.safe_dump),
        st.dictionaries(ANSWER_KEYS, ANSWER_TREES, max_size=5).map(yaml.safe_dump),
        st.text(max_size=200),
        st.sampled_from(["a: &a [[*a]]", "a: 1:30", "- &a {b: *a}", "[" * 80]),
    )
)
def test_answers_files_never_escape(tmp_path_factory, text):
    answers = tmp_path_factory.mktemp("answers") / "answers.yaml"
    answers.write_text(text, encoding="utf-8")
    exits_cleanly("assess", "--answers", answers)


def test_hris_id_with_a_newline_cannot_inject_scenario_keys(tmp_path: Path):
    evil = "7\nhorizon_years: 1\nassumptions: {org_effects: false}\n#"
    rows = [
        ["1", "", "Chief Executive Officer", "Ada", "200000", "Executive"],
        [evil, evil, "Customer Success Manager", "Bo", "90000", "Customer Success"],
    ]
    source = tmp_path / "hris.csv"
    source.write_text(_csv_text(rows), encoding="utf-8")
    out = tmp_path / "org.yaml"
    assert exits_cleanly("org", "import", source, "-o", out, "--lenient") == 0
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert "horizon_years" not in data and "assumptions" not in data
    assert load(out).horizon_years == 9
