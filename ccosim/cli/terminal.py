"""What reaches the terminal: text the user gave, made safe, and JSON to a file or stdout."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import click

from ccosim.output import write_text
from ccosim.scenario.plain import strip_control

__all__ = ["echo_for", "show_answers", "shown", "write_json"]


def shown(value: object) -> str:
    """A file name or text the user gave, safe to print: no escape sequences reach the terminal."""
    return strip_control(str(value))


def write_json(data: Any, target: str, *, force: bool) -> None:
    """Write ``data`` as JSON to ``target``, or to standard output for ``-``."""
    text = json.dumps(data, indent=2, sort_keys=False, default=str) + "\n"
    if target == "-":
        sys.stdout.write(text)
    else:
        write_text(target, text, force=force)
        click.echo(f"wrote {shown(target)}", err=True)


def echo_for(json_target: str | None) -> Callable[[str], None]:
    """Where text goes: standard error when standard output carries JSON (``--json -``)."""
    if json_target == "-":
        return lambda text: click.echo(text, err=True)
    return click.echo


def show_answers(
    answers: Any,
    json_target: str | None,
    *,
    force: bool,
    text_with_json: bool = True,
    text_first: bool = False,
) -> None:
    """Write an answer's JSON (``--json``) and print its text (``to_dict``, ``to_text``).

    With ``--json -`` standard output carries the JSON only: the text goes to standard
    error, or nowhere when ``text_with_json`` is false.
    """
    show_text = json_target != "-" or text_with_json
    if show_text and text_first:
        echo_for(json_target)(answers.to_text())
    if json_target:
        write_json(answers.to_dict(), json_target, force=force)
    if show_text and not text_first:
        echo_for(json_target)(answers.to_text())
