"""``ccosim studio``: serve the local web app (the ``studio`` extra)."""

from __future__ import annotations

import click

from ccosim.errors import CcosimError

__all__ = ["studio"]


@click.command("studio")
@click.argument("scenarios", nargs=-1, type=click.Path(dir_okay=False))
@click.option(
    "--dir",
    "folder",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False),
    help="The one folder the studio reads designs from and writes files to.",
)
@click.option("--port", default=8765, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind. Anything but 127.0.0.1/localhost exposes your designs to the network.",
)
@click.option("--no-browser", is_flag=True, help="Do not open a browser window.")
@click.option(
    "--years", default=3, show_default=True, type=click.IntRange(1, 30), help="Years simulated."
)
@click.option(
    "--runs",
    default=4,
    show_default=True,
    type=click.IntRange(2, 200),
    help="Replications per design of the first answer after each change.",
)
@click.option(
    "--refine-runs",
    default=20,
    show_default=True,
    type=click.IntRange(0, 1000),
    help="Replications of the refined answer that follows (0: none).",
)
def studio(
    scenarios: tuple[str, ...],
    folder: str,
    port: int,
    host: str,
    no_browser: bool,
    years: int,
    runs: int,
    refine_runs: int,
) -> None:
    """Open designs in a local web app: redraw the org, move assumptions, see the KPIs.

    \b
    Example:
      ccosim studio scenarios/post_sales_cs.yaml scenarios/cco_full.yaml
    Serves on http://127.0.0.1:8765/ and reads and writes only inside --dir.
    See docs/studio.md.
    """
    try:
        # lazy: shiny and uvicorn are the optional `studio` extra, and `ccosim --help`
        # must not import them.
        from ccosim.studio.app import StudioSettings
        from ccosim.studio.server import LOCAL_HOSTS, serve
    except ImportError as exc:
        raise CcosimError(
            f"the studio needs its extra ({exc.name} is missing): pip install 'ccosim[studio]'"
        ) from None
    if host not in LOCAL_HOSTS:
        click.secho(
            f"warning: binding {host} lets other machines reach the studio and your designs",
            fg="yellow",
            err=True,
        )
    settings = StudioSettings(runs=runs, refine_runs=refine_runs)
    serve(
        list(scenarios),
        folder=folder,
        host=host,
        port=port,
        open_browser=not no_browser,
        years=years,
        settings=settings,
        say=click.echo,
    )
