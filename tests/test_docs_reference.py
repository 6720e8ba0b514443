"""docs/scenario-format.md documents exactly the keys the code accepts."""

from __future__ import annotations

from ccosim.scenario.reference import refresh_document
from tests.conftest import ROOT


def test_field_reference_is_current():
    path = ROOT / "docs" / "scenario-format.md"
    text = path.read_text()
    assert refresh_document(text) == text, "docs/scenario-format.md is stale: run `make docs`"


def test_reference_lists_every_segment_and_unit_key():
    text = (ROOT / "docs" / "scenario-format.md").read_text()
    for key in (
        "initial_accounts",
        "base_churn",
        "expansion_rate",
        "reports_to",
        "dotted_to",
        "open_headcount",
        "vacant",
        "time_to_fill_months",
        "org_effects",
    ):
        assert f"| `{key}` |" in text
