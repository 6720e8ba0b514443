"""The root click group: its lazy command table and error handling for every command.

Kept light on purpose: ``ccosim --help`` imports this module and click, nothing else of
ccosim's (no numpy, pydantic, matplotlib or jinja2); each command's module is imported when
that command runs (:class:`~ccosim.cli.lazy.LazyGroup`).
"""

from __future__ import annotations

from typing import Any

import click

from ccosim._version import __version__
from ccosim.cli.lazy import LazyCommand, LazyGroup
from ccosim.errors import CcosimError

__all__ = ["COMMANDS", "EXIT_INPUT", "main"]

EXIT_INPUT = 2  # bad input: a scenario, a CSV, an existing output without --force

#: Every top-level command: where it lives and the summary ``ccosim --help`` shows.
COMMANDS: dict[str, LazyCommand] = {
    "assess": LazyCommand(
        "ccosim.cli.assess_cmds:assess_command",
        "Score the signals that a firm needs a Chief Customer Officer (mark-cco).",
    ),
    "business-case": LazyCommand(
        "ccosim.cli.business_case_cmds:business_case",
        "The CEO's one-pager: what a CCO does to retention, at what cost, and when it pays.",
    ),
    "calibrate": LazyCommand(
        "ccosim.cli.calibrate_cmds:calibrate",
        "Fit a scenario to your own company's retention (see docs/calibration.md).",
    ),
    "chart": LazyCommand("ccosim.cli.chart_cmds:chart", "Draw the org chart of a scenario."),
    "compare": LazyCommand(
        "ccosim.cli.compare_cmds:compare",
        "Run several org designs on the same simulated customers and write a report.",
    ),
    "org": LazyCommand("ccosim.cli.org_cmds:org", "Org-chart analytics and HR workflows."),
    "plan": LazyCommand(
        "ccosim.cli.plan_cmds:plan",
        "A quarterly headcount and hiring plan, with one requisition per hire.",
    ),
    "run": LazyCommand(
        "ccosim.cli.run_cmds:run",
        "Simulate SCENARIO and print a yearly KPI table (mean over runs, 95% interval in JSON).",
    ),
    "schema": LazyCommand(
        "ccosim.cli.scenario_cmds:schema",
        "Write the JSON Schema of the scenario format (for editors and other tools).",
    ),
    "studio": LazyCommand(
        "ccosim.cli.studio_cmds:studio",
        "Open designs in a local web app: redraw the org, move assumptions, see the KPIs.",
    ),
    "sweep": LazyCommand(
        "ccosim.cli.sweep_cmds:sweep",
        "Vary assumptions over a grid and chart how much each one swings a KPI.",
    ),
    "validate": LazyCommand(
        "ccosim.cli.scenario_cmds:validate",
        "Check scenario files and print a one-line summary of each.",
    ),
}


class _Group(LazyGroup):
    """The root group: lazy commands, and ccosim errors reported as messages, not tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CcosimError as exc:
            # lazy: the scenario package (pydantic) stays out of `ccosim --help`.
            from ccosim.scenario.plain import strip_control

            # Messages quote file names and values the user gave: no escape sequence in them
            # may reach the terminal (retitle the window, hide text, ...).
            click.secho(f"error: {strip_control(str(exc))}", fg="red", err=True)
            ctx.exit(EXIT_INPUT)
        except KeyboardInterrupt:
            click.echo("\ninterrupted; no partial output was kept", err=True)
            ctx.exit(130)


@click.group(cls=_Group, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="ccosim")
def main() -> None:
    """Design customer-facing organizations and simulate what they do to retention.

    \b
    Start with:
      ccosim validate scenarios/*.yaml
      ccosim org stats scenarios/cco_full.yaml
    Every scenario is one YAML file; see docs/scenario-format.md.
    """
