"""Fuzzing the inputs added last: uncertainty blocks, cohort and ledger CSVs, KPI targets.

Whatever the user writes, the CLI either works or exits 2 with a message: never a
traceback and never a hang (each example has a deadline; readers are bounded).
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import MINIMAL
from tests.test_fuzz_inputs import exits_cleanly

BOUNDED = settings(
    max_examples=30,
    deadline=timedelta(seconds=20),  # a hang or a runaway allocation fails the example
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**12), 10**12),
    st.sampled_from([0, 1, -1, 1e308, 5e-324, "1,5", "x", None, True, [], {}]),
)
DISTRIBUTIONS = st.sampled_from(
    ["uniform", "triangular", "normal", "lognormal", "beta", "discrete", "gamma", "", 3]
)
RANGE_FIELDS = st.sampled_from(
    ["low", "high", "mode", "mean", "sd", "median", "sigma", "values", "weights", "reason"]
)
KEYS = st.sampled_from(
    [
        "customers.segments.smb.base_churn",
        "customers.segments.smb.acv",
        "org.units.csm.headcount",
        "org.units.cco.cost",
        "assumptions.handoff.decay_per_hop",
        "assumptions.span.limit",
        "timeline.0.month",
        "horizon_years",
        "seed",
        "no.such.key",
    ]
)
RANGES = st.dictionaries(
    KEYS,
    st.one_of(
        st.fixed_dictionaries(
            {"dist": DISTRIBUTIONS},
            optional={
                field: st.one_of(NUMBERS, st.lists(NUMBERS, max_size=4))
                for field in ("low", "high", "mode", "mean", "sd", "median", "sigma")
            }
            | {"values": st.lists(NUMBERS, max_size=5), "weights": st.lists(NUMBERS, max_size=5)},
        ),
        st.dictionaries(RANGE_FIELDS, NUMBERS, max_size=3),
        NUMBERS,
    ),
    max_size=3,
)


def _dump(value: object) -> str:
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**6)


@BOUNDED
@given(ranges=RANGES)
def test_uncertainty_blocks_never_escape(tmp_path_factory, ranges):
    folder = tmp_path_factory.mktemp("ranges")
    path = folder / "s.yaml"
    path.write_text(MINIMAL + "uncertainty: " + _dump(ranges) + "\n", encoding="utf-8")
    if exits_cleanly("validate", path) == 0 and ranges:
        # a block that validates must also draw: one draw of a one-year, two-run compare
        exits_cleanly(
            "compare",
            path,
            path,
            "--draws",
            2,
            "--runs",
            2,
            "--years",
            1,
            "--quiet",
            "-o",
            folder / "out",
            "--force",
        )


CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "1e309",
            "nan",
            "inf",
            "1,5",
            "1.000,5",
            "=1+1",
            "2026-02-30",
            "2026-13-01",
            "9999-12-31",
            "0001-01-01",
            "\x00",
            "12",
            "enterprise",
        ]
    ),
)


def _csv(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue()


@BOUNDED
@given(
    header=st.sampled_from(
        [["period", "active"], ["cohort", "period", "active"], ["segment", "period", "active"]]
    ),
    rows=st.lists(st.lists(CELLS, min_size=0, max_size=4), max_size=8),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
)
def test_cohort_files_never_escape(tmp_path_factory, header, rows, delimiter, encoding):
    path = tmp_path_factory.mktemp("cohorts") / "cohorts.csv"
    path.write_bytes(_csv([header, *rows], delimiter).encode(encoding, errors="replace"))
    exits_cleanly("calibrate", "retention", path)


LEDGER_HEADER = ["account_id", "segment", "start_date", "end_date", "arr", "arr_year_ago"]


@BOUNDED
@given(
    rows=st.lists(st.lists(CELLS, min_size=0, max_size=7), max_size=8),
    encoding=st.sampled_from(["utf-8", "utf-16", "cp1252"]),
)
def test_ledger_files_never_escape(tmp_path_factory, rows, encoding):
    folder = tmp_path_factory.mktemp("ledger")
    scenario = folder / "s.yaml"
    scenario.write_text(MINIMAL, encoding="utf-8")
    path = folder / "ledger.csv"
    path.write_bytes(_csv([LEDGER_HEADER, *rows]).encode(encoding, errors="replace"))
    exits_cleanly("calibrate", "accounts", path, scenario, "-o", folder / "out.yaml")


TARGET_KPIS = st.sampled_from(["logo_retention", "grr", "nrr", "churn", "arr", "", "smb"])
TARGET_VALUES = st.one_of(
    st.sampled_from(["0.9", "92%", "1000%", "-1", "0", "nan", "inf", "1e309", "", "x", "3"]),
    st.text(max_size=8),
)


@settings(BOUNDED, max_examples=15)
@given(
    segment=st.sampled_from(["smb", "enterprise", "", "smb.x"]),
    kpi=TARGET_KPIS,
    value=TARGET_VALUES,
)
def test_kpi_targets_never_escape(tmp_path_factory, segment, kpi, value):
    folder = tmp_path_factory.mktemp("targets")
    scenario = folder / "s.yaml"
    scenario.write_text(MINIMAL, encoding="utf-8")
    exits_cleanly(
        "calibrate",
        "kpis",
        scenario,
        "--target",
        f"{segment}.{kpi}={value}",
        "--runs",
        2,
        "--years",
        1,
        "--max-steps",
        1,
        "-o",
        folder / "out.yaml",
        "--quiet",
    )
