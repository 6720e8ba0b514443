"""Plain-text fit reports printed by ``ccosim calibrate``."""

from __future__ import annotations

from collections.abc import Mapping

from ccosim.calibrate.retention import SbgFit

__all__ = ["retention_report"]


def retention_report(fits: Mapping[str, SbgFit], project: int) -> str:
    """Each segment's alpha, beta (with 95% intervals), fitted vs observed and projection."""
    out: list[str] = []
    for seg, fit in fits.items():
        title = f"segment {seg}" if seg else "sBG fit"
        out.append(
            f"{title}: alpha {fit.alpha:.3f} (se {fit.alpha_se:.3f}, 95% "
            f"{fit.alpha_interval[0]:.3f}-{fit.alpha_interval[1]:.3f}), beta "
            f"{fit.beta:.3f} (se {fit.beta_se:.3f}, 95% {fit.beta_interval[0]:.3f}-"
            f"{fit.beta_interval[1]:.3f})"
        )
        out.append(
            f"  mean first-year churn {fit.mean_churn:.1%}; retention by year: "
            + ", ".join(f"{r:.1%}" for r in fit.retention(min(project, 5) or 1))
        )
        errors = fit.holdout_errors()
        for name, used in fit.cohorts.items():
            held = fit.holdout.get(name, [])
            observed = [*used, *held]
            periods = max(len(observed) - 1, project)
            fitted = fit.survival(periods) * observed[0]
            out.append(f"  cohort {name}: period  observed  fitted")
            for t in range(periods + 1):
                obs = f"{observed[t]:9.0f}" if t < len(observed) else " " * 9
                tag = ""
                if t >= len(used) and t < len(observed):
                    tag = f"  held out (error {errors[name][t - len(used)]:+.1%} of the cohort)"
                elif t >= len(observed):
                    tag = "  projection"
                out.append(f"  {'':>8}{t:>6} {obs} {fitted[t]:7.0f}{tag}")
        out.append("  intervals cover the sampling of the customers counted, not model error")
    return "\n".join(out)
