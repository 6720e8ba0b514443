"""The root click group, shared options, and error handling for every command."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from ccosim._version import __version__
from ccosim.errors import CcosimError
from ccosim.scenario import Scenario, load
from ccosim.scenario.plain import strip_control

__all__ = [
    "EXIT_INPUT",
    "force_option",
    "load_scenario",
    "main",
    "scenario_paths",
    "set_option",
    "shown",
    "write_json",
]

EXIT_INPUT = 2  # bad input: a scenario, a CSV, an existing output without --force
F = TypeVar("F", bound=Callable[..., Any])


class _Group(click.Group):
    """A click group that reports ccosim errors as messages, not tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CcosimError as exc:
            # Messages quote file names and values the user gave: no escape sequence in them
            # may reach the terminal (retitle the window, hide text, ...).
            click.secho(f"error: {strip_control(str(exc))}", fg="red", err=True)
            ctx.exit(EXIT_INPUT)
        except KeyboardInterrupt:
            click.echo("\ninterrupted; no partial output was kept", err=True)
            ctx.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="ccosim")
def main() -> None:
    """Design customer-facing organizations and simulate what they do to retention.

    \b
    Start with:
      ccosim validate scenarios/*.yaml
      ccosim org stats scenarios/cco_full.yaml
    Every scenario is one YAML file; see docs/scenario-format.md.
    """


def set_option(func: F) -> F:
    """``--set PATH=VALUE`` (repeatable), applied to every scenario after loading."""
    return click.option(
        "--set",
        "set_options",
        multiple=True,
        metavar="PATH=VALUE",
        help="Override a value after loading, e.g. --set customers.segments.smb.base_churn=0.2 "
        "(list items by index or unit id: --set org.units.csm_smb.headcount=8). Repeatable.",
    )(func)


def force_option(func: F) -> F:
    """``--force``: allow replacing existing output."""
    return click.option("--force", is_flag=True, help="Replace existing output.")(func)


def scenario_paths(func: F) -> F:
    """One or more scenario files as arguments."""
    return click.argument(
        "scenarios", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path)
    )(func)


def load_scenario(path: Path, set_options: Sequence[str] = ()) -> Scenario:
    """Load a scenario for a command (errors propagate as :class:`ScenarioError`)."""
    return load(path, set_options=set_options)


def shown(value: object) -> str:
    """A file name or text the user gave, safe to print: no escape sequences reach the terminal."""
    return strip_control(str(value))


def write_json(data: Any, target: str, *, force: bool) -> None:
    """Write ``data`` as JSON to ``target``, or to standard output for ``-``."""
    from ccosim.output import write_text

    text = json.dumps(data, indent=2, sort_keys=False, default=str) + "\n"
    if target == "-":
        sys.stdout.write(text)
    else:
        write_text(target, text, force=force)
        click.echo(f"wrote {shown(target)}", err=True)
