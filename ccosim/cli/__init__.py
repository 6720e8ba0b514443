"""The ``ccosim`` command line: a thin click group over the library.

:data:`main` is the root group (:mod:`ccosim.cli.base`); each command's module is imported
when the command runs, so ``ccosim --help`` stays fast. Every
:class:`~ccosim.errors.CcosimError` becomes a one-line message and a non-zero exit, never a
traceback.
"""

from __future__ import annotations

from ccosim.cli.base import main

__all__ = ["main"]
