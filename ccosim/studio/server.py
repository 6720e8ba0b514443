"""Start the studio: load the designs, build the app, serve it on one local address.

Binds 127.0.0.1 unless told otherwise; wraps the app in :class:`~ccosim.studio.guard.
GuardedApp` (Host/Origin checks, request-size limit) and ends every background job when the
server stops.
"""

from __future__ import annotations

import copy
import threading
import webbrowser
from collections.abc import Callable, Sequence
from pathlib import Path

from ccosim.studio.app import StudioSettings, make_app
from ccosim.studio.folder import Folder
from ccosim.studio.guard import LOCAL_HOSTS, GuardedApp, allowed_hosts
from ccosim.studio.jobs import Jobs
from ccosim.studio.workbench import Workbench

__all__ = ["LOCAL_HOSTS", "MAX_DESIGNS", "MAX_UPLOAD_BYTES", "build", "serve"]

#: Largest request body accepted (uploads included).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
#: Most designs opened at once.
MAX_DESIGNS = 5


def build(
    paths: Sequence[str | Path],
    *,
    folder: str | Path = ".",
    host: str = "127.0.0.1",
    port: int,
    years: int = 3,
    settings: StudioSettings | None = None,
) -> tuple[GuardedApp, Jobs]:
    """The guarded studio app over ``paths`` and the jobs it runs.

    Raises:
        CcosimError: no design, too many, a file outside ``folder``, or one that does not load.
    """
    from ccosim.studio.folder import FolderError

    if not paths:
        raise FolderError("give one to five design files: ccosim studio A.yaml B.yaml")
    if len(paths) > MAX_DESIGNS:
        raise FolderError(f"the studio opens at most {MAX_DESIGNS} designs at once")
    where = Folder.at(folder)
    workbench = Workbench.open(paths, where, years=years)
    jobs = Jobs()
    app = make_app(workbench, settings or StudioSettings(), jobs)
    warm = copy.deepcopy(workbench)
    warm.years = 1

    def warm_up() -> None:
        # Once the server listens, load the engine's compiled kernels while the browser
        # opens: the first answer is then a simulation, not a compilation cache being read.
        jobs.start(lambda progress: warm.compare(2, progress.execution()))

    guarded = GuardedApp(
        app,
        allowed_hosts(host, port),
        max_body=MAX_UPLOAD_BYTES,
        on_startup=warm_up,
        on_shutdown=jobs.shutdown,
    )
    return guarded, jobs


def serve(
    paths: Sequence[str | Path],
    *,
    folder: str | Path = ".",
    host: str = "127.0.0.1",
    port: int = 8765,
    open_browser: bool = True,
    years: int = 3,
    settings: StudioSettings | None = None,
    say: Callable[[str], None] = print,
) -> None:
    """Serve the studio until interrupted (Ctrl-C); every job ends with the server."""
    import uvicorn

    app, jobs = build(paths, folder=folder, host=host, port=port, years=years, settings=settings)
    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    say(f"ccosim studio on {url} (folder {Path(folder).resolve()}); Ctrl-C to stop")
    if open_browser:
        threading.Timer(1.0, lambda: webbrowser.open(url)).start()
    try:
        server.run()
    finally:
        jobs.shutdown()
