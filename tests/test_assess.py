"""The CCO readiness assessment: scoring, answers files, prompts and cross-checks."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner

from ccosim.assess import QUESTIONS, assess, cross_check
from ccosim.assess.scoring import AnswersError, read_answers
from ccosim.cli import main
from ccosim.scenario import load
from tests.conftest import ROOT, SCENARIOS

EXAMPLE = ROOT / "examples" / "readiness_answers.yaml"


def answers(**changes):
    base = read_answers(EXAMPLE)
    return {**base, **changes}


def test_more_need_signals_mean_a_higher_score():
    calm = {q.id: (False if q.kind == "yes_no" else 1) for q in QUESTIONS}
    scores = [assess(calm).score]
    for question in QUESTIONS:
        if question.role == "signal":
            calm = {**calm, question.id: True if question.kind == "yes_no" else 100}
            scores.append(assess(calm).score)
    assert scores == sorted(scores) and scores[0] == 0 and scores[-1] == 100
    assert assess(calm).band == "strong case"


def test_enablers_decide_readiness_not_need():
    a = assess(answers(authority=True, aligned_metrics=True, budget=True))
    b = assess(answers(authority=False, aligned_metrics=False, budget=False))
    assert a.score == b.score
    assert (a.readiness, b.readiness) == ("ready", "not ready")


def test_bad_answers_files_name_file_line_and_key(tmp_path):
    path = tmp_path / "answers.yaml"
    data = yaml.safe_load(EXAMPLE.read_text())
    data.pop("budget")
    data["churn_to_high"] = data.pop("churn_too_high")
    data["arr_millions"] = "lots"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(AnswersError) as info:
        read_answers(path)
    message = str(info.value)
    assert f"{path}:" in message
    assert "churn_to_high: unknown question (did you mean 'churn_too_high'?)" in message
    assert "arr_millions: answer a number of at least 0 (got 'lots')" in message
    assert "missing answers: churn_too_high, budget" in message


def test_cross_check_flags_what_the_scenario_contradicts():
    scenario = load(
        SCENARIOS / "cco_full.yaml", set_options=["customers.segments.smb.base_churn=0.3"]
    )
    result = cross_check(
        assess(answers(post_sale_owners=3, churn_too_high=False, weak_expansion=False)),
        scenario,
        {"nrr": [0.95], "grr": [0.85]},
    )
    text = " ".join(result.contradictions)
    assert "smb 30% (band top 25%)" in text
    assert "the org has 1 (cco)" in text
    assert "simulated NRR ends at 95.0%" in text
    agreeing = cross_check(
        assess(answers(post_sale_owners=1, churn_too_high=True, weak_expansion=True)),
        load(SCENARIOS / "cco_full.yaml"),
    )
    assert agreeing.contradictions == []


def test_cli_file_prompts_and_errors():
    run = CliRunner().invoke
    ok = run(main, ["assess", "--answers", str(EXAMPLE), "--json", "-"])
    assert ok.exit_code == 0
    assert json.loads(ok.output)["band"] == "strong case"
    typed = "\n".join(["n", "y", "y", "y", "y", "y", "abc", "2", "36", "y", "y", "n"]) + "\n"
    asked = run(main, ["assess", "--interactive"], input=typed)
    assert asked.exit_code == 0, asked.output
    assert "is not a valid integer" in asked.output, "a bad answer is asked again"
    assert "CCO readiness: 72/100, strong case" in asked.output
    no_tty = run(main, ["assess"])
    assert no_tty.exit_code == 2 and "--answers FILE" in no_tty.output
