"""The options of a business case under draws of the assumptions: P(best option) and EVPPI.

Every option and the status quo run at the same draws of the assumptions' ranges (common
parameter draws) and, inside each draw, on the same customer streams, as
:func:`~ccosim.experiment.psa.psa` runs designs. Each draw is valued over the horizon the
answer is read at (``--years``, else 5 years): its NPV, net value and break-even are cut
there, and its KPIs are those of that year, so P(best) and EVPPI answer the decision the
one-pager states. The status quo is an option with net value 0 in every draw.

The answers are :func:`~ccosim.experiment.decision.compare_answers` over the status quo and
the options: P(best) on NPV (summing to 1 over the options, the status quo included), the
expected loss of each, EVPI and the EVPPI of every uncertain assumption for the choice among
all of them. They cover assumption uncertainty and customer randomness.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ccosim.experiment.business_case import (
    _break_even,
    _with_transition,
    contribution,
    lead_horizon,
)
from ccosim.experiment.decision import COVERS, compare_answers
from ccosim.experiment.options import OptionsStudy
from ccosim.experiment.psa import (
    SUMMARY_KPIS,
    PsaError,
    PsaResult,
    _slim,
    draw_parameters,
    run_batched,
    uncertain_keys,
)
from ccosim.money import DEFAULT_DISCOUNT_RATE, npv
from ccosim.results import Results
from ccosim.scenario import Scenario
from ccosim.scenario.uncertainty import apply_values
from ccosim.sim.model import run_replication
from ccosim.sim.params import compile_params

__all__ = ["option_answers", "options_psa", "run_option_batch"]


@dataclass(frozen=True)
class _Rebuild:
    """How to rebuild one option when unit keys are drawn: its target and hire month."""

    target: Scenario
    month: int
    target_path: str


@dataclass(frozen=True)
class _OptionBatch:
    scenarios: tuple[Scenario, ...]  # the status quo first, then each option as built
    rebuilds: tuple[_Rebuild | None, ...]  # per option (None: hired at month 0)
    keys: tuple[tuple[str, tuple[int, ...]], ...]
    draws: tuple[int, ...]
    values: np.ndarray  # len(draws) x len(keys)
    seed: int
    runs: int
    discount_rate: float
    lead: int
    hire_months: tuple[int, ...]  # per design (0 for the status quo)


def _scenarios_at(batch: _OptionBatch, values: np.ndarray) -> list[Scenario]:
    """Every design with one draw's values applied (options rebuilt when unit keys move)."""
    out = []
    for d, scenario in enumerate(batch.scenarios):
        mine = {p: float(v) for (p, where), v in zip(batch.keys, values, strict=True) if d in where}
        out.append(apply_values(scenario, mine) if mine else scenario)
    if any(p.startswith("org.") for p, _ in batch.keys):
        every = {p: float(v) for (p, _), v in zip(batch.keys, values, strict=True)}
        current = apply_values(batch.scenarios[0], every)
        for i, rebuild in enumerate(batch.rebuilds, start=1):
            if rebuild is not None:
                target = apply_values(rebuild.target, every)
                out[i] = _with_transition(
                    current,
                    target,
                    rebuild.month,
                    f"{rebuild.target_path} at month {rebuild.month}",
                    rebuild.target_path,
                )
    return out


def run_option_batch(batch: _OptionBatch) -> list[dict[str, Any]]:
    """Every design at every draw of ``batch``, valued over the lead horizon (for pools)."""
    out = []
    lead, year = batch.lead, batch.lead // 12 - 1
    for row, draw in enumerate(batch.draws):
        monthly, kpis = [], []
        for scenario in _scenarios_at(batch, batch.values[row]):
            params = compile_params(scenario)
            reps = [
                _slim(run_replication((params, batch.seed, draw * batch.runs + r)))
                for r in range(batch.runs)
            ]
            result = Results.from_runs(scenario.name, batch.seed, reps)
            monthly.append(contribution(result).mean(axis=0)[:lead])
            kpis.append(
                [
                    float(np.nanmean(result.yearly[k][:, year])) if k in result.yearly else np.nan
                    for k in SUMMARY_KPIS
                ]
            )
        contributions = np.array(monthly)  # designs x lead months
        net = contributions - contributions[0]
        cumulative = np.cumsum(net, axis=1)
        breaks = [_break_even(c, m) for c, m in zip(cumulative, batch.hire_months, strict=True)]
        out.append(
            {
                "kpis": np.array(kpis),
                "npv": npv(contributions, batch.discount_rate),
                "value": contributions.sum(axis=1),
                "net_npv": npv(net, batch.discount_rate),
                "net_value": cumulative[:, -1],
                "break_even": np.array([np.nan if b is None else b for b in breaks], dtype=float),
            }
        )
    return out


def options_psa(
    ostudy: OptionsStudy,
    *,
    draws: int,
    method: str = "lhs",
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
) -> PsaResult:
    """The status quo and every option under ``draws`` common draws of the assumptions.

    ``study.runs`` replications per draw (2 if None). Values are over the lead horizon
    (``--years``, else 5 years, at most the simulated horizon): the result's
    ``horizon_months`` is that horizon; ``extras["simulated_months"]`` the simulated one.

    Raises:
        PsaError: no uncertain keys, designs that disagree on a key, bad draws or runs.
    """
    study = ostudy.study
    execution = study.execution
    runs = 2 if study.runs is None else study.runs
    if runs < 1:
        raise PsaError("a PSA needs at least 1 run per draw (--runs)")
    labels = study.labels
    scenarios = [d.scenario for d in study.designs]
    keys = uncertain_keys(scenarios, labels)
    if not keys:
        raise PsaError(
            "no uncertain assumptions: --draws needs an 'uncertainty:' block in the scenarios "
            "(the shipped _company.yaml has one; see docs/uncertainty.md)"
        )
    simulated = study.horizon_years * 12
    lead = lead_horizon(simulated, None if study.years is None else study.years * 12)
    values = draw_parameters(keys, draws, study.seed, method)
    hires = [ostudy.hires[name] for name in ostudy.names]
    rebuilds = tuple(
        None if h.month == 0 else _Rebuild(h.target, h.month, h.target_path) for h in hires
    )
    result, _ = run_batched(
        run_option_batch,
        lambda a, b: _OptionBatch(
            tuple(scenarios),
            rebuilds,
            tuple((k.path, k.designs) for k in keys),
            tuple(range(a, b)),
            values[a:b],
            study.seed,
            runs,
            discount_rate,
            lead,
            (0, *(h.month for h in hires)),
        ),
        draws=draws,
        per_draw=len(scenarios) * runs,
        execution=execution,
        labels=tuple(labels),
        keys=tuple(keys),
        parameters=values,
        runs=runs,
        seed=study.seed,
        method=method,
        discount_rate=discount_rate,
        horizon_months=lead,
        extras={"simulated_months": simulated, "hire_months": (0, *(h.month for h in hires))},
    )
    return result


def _percentiles(x: np.ndarray) -> dict[str, float]:
    low, high = np.percentile(x, [5, 95])
    return {"mean": float(np.mean(x)), "low": float(low), "high": float(high)}


def option_answers(psa: PsaResult, *, bootstrap: int = 200) -> dict[str, Any]:
    """P(best option), NPV over the draws, expected loss, EVPI and EVPPI of every assumption.

    ``options`` holds one entry per design (the status quo first): ``p_best`` (on NPV; the
    shares sum to 1), ``npv`` and ``net_value`` (mean and the 5th-95th percentiles over the
    draws), ``p_npv_positive``, ``expected_loss`` and the median ``break_even_month`` over
    the draws that break even (``break_even_share`` of them).
    """
    answers = compare_answers(psa, bootstrap=bootstrap)
    months = psa.extras.get("hire_months", (0,) * len(psa.labels))
    options: dict[str, dict[str, Any]] = {}
    for d, label in enumerate(psa.labels):
        reached = psa.break_even[:, d][~np.isnan(psa.break_even[:, d])]
        median = None if reached.size == 0 else round(float(np.median(reached)))
        options[label] = {
            "p_best": answers["p_best"][label]["npv"],
            "npv": _percentiles(psa.net_npv[:, d]),
            "net_value": _percentiles(psa.net_value[:, d]),
            "p_npv_positive": float(np.mean(psa.net_npv[:, d] > 0)),
            "expected_loss": answers["expected_loss"][label],
            "break_even_month": None if d == 0 else median,
            "break_even_share": 0.0 if d == 0 else reached.size / psa.draws,
            "hire_month": int(months[d]),
        }
    answers["options"] = options
    answers["valued_over_months"] = psa.horizon_months
    answers["simulated_months"] = psa.extras.get("simulated_months", psa.horizon_months)
    answers["npv_interval"] = f"5th to 95th percentile over {psa.draws} draws: {COVERS}"
    return answers
