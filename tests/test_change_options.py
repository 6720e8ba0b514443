"""``--with`` and ``--hire-month`` mean the same in ``plan`` and ``business-case``.

A plan of the change and the business case of the change must read the hire month the same
way: the options are declared once (``cli/options.py``, ``change_options``), and a command
may only add a sentence to the shared help.
"""

from __future__ import annotations

import click

from ccosim.cli.business_case_cmds import business_case
from ccosim.cli.plan_cmds import plan


def _option(command: click.Command, name: str) -> click.Option:
    return next(p for p in command.params if isinstance(p, click.Option) and name in p.opts)


def test_plan_and_business_case_read_the_change_the_same_way():
    for name in ("--with", "--hire-month"):
        planned, weighed = _option(plan, name), _option(business_case, name)
        assert planned.type.to_info_dict() == weighed.type.to_info_dict(), name
        assert planned.default == weighed.default, name
    shared = _option(plan, "--hire-month").help
    assert "the teams move when the CCO is in post" in shared
    assert _option(business_case, "--hire-month").help.startswith(shared)
