"""A click group that imports a command's module only when that command runs.

click's documented lazy-group pattern: :meth:`LazyGroup.list_commands` names every command
from a table, :meth:`LazyGroup.get_command` imports the one asked for. ``ccosim --help``
lists the commands from the table's one-line summaries, so it imports no command module
(and with them no matplotlib, jinja2 or simulation engine).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import click

__all__ = ["LazyCommand", "LazyGroup"]


@dataclass(frozen=True)
class LazyCommand:
    """Where a command lives (``module:attribute``) and the summary ``--help`` lists.

    ``summary`` is the first paragraph of the command's docstring; a test keeps the two equal.
    """

    target: str
    summary: str

    def load(self) -> click.Command:
        """Import the command's module and return the command."""
        module, _, attribute = self.target.partition(":")
        command = getattr(importlib.import_module(module), attribute)
        if not isinstance(command, click.Command):  # pragma: no cover - a wrong table entry
            raise TypeError(f"{self.target} is not a click command")
        return command


class LazyGroup(click.Group):
    """A group whose commands are imported on first use (see the module docstring)."""

    def __init__(self, *args: Any, lazy: Mapping[str, LazyCommand] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.lazy: dict[str, LazyCommand] = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command: those registered and those in the table, sorted."""
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command called ``cmd_name``, importing its module if it is not loaded yet."""
        if cmd_name not in self.commands and cmd_name in self.lazy:
            self.add_command(self.lazy[cmd_name].load(), cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List the commands with their summaries, loading none that is not loaded yet."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.commands.get(name) or click.Command(name, help=self.lazy[name].summary)
            if not command.hidden:
                rows.append((name, command))
        if not rows:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in rows)
        with formatter.section("Commands"):
            formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in rows])
