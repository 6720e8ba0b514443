"""``ccosim studio``: a local web app to redraw the org and see retention and money change.

A second front end beside the CLI (docs/studio.md). :mod:`~ccosim.studio.workbench` holds a
session's work (plain Python); :mod:`~ccosim.studio.app` is the Shiny page over it;
:mod:`~ccosim.studio.server` serves it on 127.0.0.1 behind :mod:`~ccosim.studio.guard`.
Needs the ``studio`` extra (``pip install 'ccosim[studio]'``); importing this package
imports nothing of it.
"""

__all__: list[str] = []
