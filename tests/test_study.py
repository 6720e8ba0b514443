"""The run context: designs loaded once, the baseline by label or stem, one place for both."""

from __future__ import annotations

import numpy as np
import pytest

import ccosim
from ccosim.experiment.compare import CompareError, compare, run_comparison
from ccosim.experiment.study import Execution, Study, StudyError
from tests.conftest import MINIMAL, SCENARIOS

PAIR = [SCENARIOS / "post_sales_cs.yaml", SCENARIOS / "cco_full.yaml"]


def test_a_study_labels_its_designs_and_finds_the_baseline_by_label_or_stem():
    study = Study.from_files(PAIR, years=1)
    assert study.labels == ["post-sales + CS", "CCO org"]
    assert [d.stem for d in study.designs] == ["post_sales_cs", "cco_full"]
    assert study.baseline == "post-sales + CS" and study.horizon_years == 1
    assert study.seed == study.designs[0].scenario.seed
    by_label = Study.from_files(PAIR, baseline="CCO org", years=1)
    by_stem = Study.from_files(PAIR, baseline="cco_full", years=1)
    assert by_label.baseline == by_stem.baseline == "CCO org"
    assert [d.label for d in by_stem.baseline_first()] == ["CCO org", "post-sales + CS"]


def test_an_unknown_baseline_lists_the_designs_and_suggests_the_closest():
    with pytest.raises(StudyError, match=r"none of: post-sales \+ CS, CCO org.*'cco_full'"):
        Study.from_files(PAIR, baseline="cco_ful")
    with pytest.raises(CompareError, match="none of"):  # what comparisons always raised
        Study.from_files(PAIR, baseline="nobody")


def test_bases_are_skipped_with_a_note_unless_asked(write_scenario):
    base = write_scenario(MINIMAL, "_base.yaml")
    design = write_scenario(MINIMAL, "design.yaml")
    study = Study.from_files([base, design])
    assert study.labels == ["design"] and "_base.yaml skipped" in study.notes[0]
    assert Study.from_files([base], skip_bases=False).labels == ["_base"]
    with pytest.raises(StudyError, match="no scenario files"):
        Study.from_files([base])


def test_a_design_on_another_horizon_is_loaded_on_the_studys(write_scenario):
    short = write_scenario(MINIMAL, "short.yaml")
    long = write_scenario(MINIMAL.replace("horizon_years: 3", "horizon_years: 5"), "long.yaml")
    study = Study.from_files([short, long])
    assert [d.scenario.horizon_years for d in study.designs] == [3, 3]
    assert study.given_horizons == (3, 5)
    with pytest.raises(CompareError, match="horizon_years: 3 vs 5"):
        compare(study.with_runs(2))


def test_compare_on_a_study_is_run_comparison_bit_for_bit():
    seen = []
    study = Study.from_files(
        PAIR, runs=2, years=1, execution=Execution(workers=1, on_done=seen.append)
    )
    a = compare(study, attribution=False)
    b = run_comparison(PAIR, runs=2, years=1, workers=1, attribution=False)
    assert seen and seen[-1] == 4
    for label in a.labels:
        for kpi in ("arr", "grr", "nrr"):
            assert np.array_equal(a.results[label].yearly[kpi], b.results[label].yearly[kpi])
    assert a.to_dict()["headline"] == b.to_dict()["headline"]
    text = a.to_text()
    assert "post-sales + CS *" in text and "mean of 2 runs" in text


def test_the_public_api_names_the_run_context_and_the_experiments():
    for name in ("Study", "Execution", "compare", "business_case", "psa", "sweep"):
        assert name in ccosim.__all__ and getattr(ccosim, name) is not None
    assert callable(ccosim.simulate)
