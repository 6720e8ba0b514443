"""The ``ccosim`` command line: a thin click group over the library.

Each command module registers its commands on :data:`main`; this module only builds the
group and turns every :class:`~ccosim.errors.CcosimError` into a one-line message and a
non-zero exit, never a traceback.
"""

from __future__ import annotations

from ccosim.cli import assess_cmds as _assess_cmds  # noqa: F401  (registers commands)
from ccosim.cli import calibrate_cmds as _calibrate_cmds  # noqa: F401
from ccosim.cli import chart_cmds as _chart_cmds  # noqa: F401
from ccosim.cli import experiment_cmds as _experiment_cmds  # noqa: F401
from ccosim.cli import org_cmds as _org_cmds  # noqa: F401
from ccosim.cli import org_io_cmds as _org_io_cmds  # noqa: F401
from ccosim.cli import run_cmds as _run_cmds  # noqa: F401
from ccosim.cli import scenario_cmds as _scenario_cmds  # noqa: F401
from ccosim.cli.base import main

__all__ = ["main"]
