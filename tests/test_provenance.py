"""A report's data folder reproduces the exact inputs: resolved scenarios and their hashes."""

from __future__ import annotations

import json

from ccosim import __version__
from ccosim.report.provenance import write_provenance
from ccosim.scenario import load, scenario_hash
from tests.conftest import SCENARIOS


def test_resolved_scenario_reloads_identically(tmp_path):
    source = SCENARIOS / "cco_full.yaml"
    scenario = load(source, set_options=["customers.segments.smb.base_churn=0.2"])
    data = write_provenance(
        tmp_path,
        [("cco_full", scenario)],
        [str(source)],
        seed=5,
        runs=3,
        command=["ccosim", "compare"],
        overrides=["customers.segments.smb.base_churn=0.2"],
    )
    resolved = tmp_path / "scenarios" / "cco_full.resolved.yaml"
    again = load(resolved)
    assert again == scenario and scenario_hash(again) == scenario_hash(scenario)
    assert f"sha256: {scenario_hash(scenario)}" in resolved.read_text()
    on_disk = json.loads((tmp_path / "manifest.json").read_text())
    assert on_disk == data
    assert on_disk["ccosim_version"] == __version__ and on_disk["seed"] == 5
    assert on_disk["scenarios"][0]["sha256"] == scenario_hash(scenario)


def test_outputs_are_readable_by_others(tmp_path):
    from ccosim.output import atomic_dir, write_text

    with atomic_dir(tmp_path / "report") as folder:
        write_text(folder / "report.html", "<p>hi</p>")
    assert (tmp_path / "report").stat().st_mode & 0o005 == 0o005
    assert (tmp_path / "report" / "report.html").stat().st_mode & 0o004


def test_interrupted_report_leaves_nothing_behind(tmp_path):
    import pytest

    from ccosim.output import atomic_dir, write_text

    old = tmp_path / "report"
    with atomic_dir(old) as folder:  # a previous ccosim report
        write_text(folder / "report.html", "the previous report")
    with pytest.raises(KeyboardInterrupt), atomic_dir(old, force=True) as folder:
        write_text(folder / "report.html", "half of a new report")
        raise KeyboardInterrupt  # Ctrl-C in the middle of writing
    assert (old / "report.html").read_text() == "the previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"], "no temporary folder left"
