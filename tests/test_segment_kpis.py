"""Per-segment KPIs: the user checks each segment's inputs against its own GRR, NRR, retention.

With the org off, each segment's logo retention must come back as its own base_churn (not the
company blend), its ARR and accounts must add up to the company's, and its retention KPIs
must follow from its churned, contracted and expanded ARR. False-alarm rate of the one
statistical check: Bonferroni over 2 segments x 3 years at 1e-3 in all, Student t on 19 df.
"""

from __future__ import annotations

import json

import numpy as np
from click.testing import CliRunner

from ccosim.cli import main
from ccosim.scenario import load_text
from ccosim.simulate import simulate
from ccosim.stats import t_quantile

TWO = """
name: two segments
horizon_years: 3
customers:
  segments:
    ent: {initial_accounts: 400, acv: 100000, new_accounts_per_year: 40, base_churn: 0.06,
          expansion_rate: 0.15, contraction_rate: 0.02, contract_months: 24}
    smb: {initial_accounts: 2000, acv: 8000, new_accounts_per_year: 400, base_churn: 0.2,
          expansion_rate: 0.05}
org:
  units:
    - {id: ceo, title: CEO, function: executive}
    - {id: csm, title: CSMs, function: customer_success, reports_to: ceo, headcount: 3}
assumptions: {org_effects: false}
"""


def test_each_segment_reports_its_own_retention_and_adds_up():
    runs = 20
    results = simulate(load_text(TWO), runs=runs, seed=4)
    z = t_quantile(1 - 1e-3 / (2 * 6), runs - 1)
    for name, churn in (("ent", 0.06), ("smb", 0.2)):
        x = results.segments[name]["logo_retention"]
        se = x.std(axis=0, ddof=1) / np.sqrt(runs)
        assert np.all(np.abs(x.mean(axis=0) - (1 - churn)) <= z * se), (name, x.mean(axis=0))
    for key in ("arr", "accounts"):
        total = sum(results.segments[n][key] for n in ("ent", "smb"))
        assert np.allclose(total, results.yearly[key])
    # The cohort of year y is the segment's book at the end of year y - 1; its end ARR is its
    # start less churned and contracted ARR plus expanded ARR (new logos excluded).
    ent = results.segments["ent"]
    start = ent["arr"][:, :-1]
    end = (
        start
        - ent["arr_churn"][:, 1:]
        - ent["arr_contraction"][:, 1:]
        + ent["arr_expansion"][:, 1:]
    )
    assert np.allclose(end / start, ent["nrr"][:, 1:], rtol=1e-9)


def test_run_json_has_segments_in_the_shape_of_the_company_kpis_and_by_segment_table(tmp_path):
    path = tmp_path / "two.yaml"
    path.write_text(TWO)
    out = CliRunner().invoke(main, ["run", str(path), "--runs", "2", "-q", "--json", "-"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert set(data["segments"]) == {"ent", "smb"}
    shape = data["kpis"]["grr"]
    seg = data["segments"]["smb"]["grr"]
    assert set(seg) == set(shape) and len(seg["mean"]) == len(shape["mean"]) == 3
    table = CliRunner().invoke(main, ["run", str(path), "--runs", "2", "-q", "--by-segment"])
    assert table.exit_code == 0 and "segment ent" in table.output
    assert "arr_expansion" in table.output


def test_one_segment_reports_exactly_the_company_kpis():
    smb = TWO[TWO.index("    smb:") : TWO.index("org:")]
    one = TWO.replace(smb, "").replace("org_effects: false", "org_effects: true")
    results = simulate(load_text(one), runs=2, seed=2)
    assert list(results.segments) == ["ent"]
    for key in ("grr", "nrr", "logo_retention", "arr", "accounts"):
        np.testing.assert_allclose(results.segments["ent"][key], results.yearly[key], rtol=1e-12)
