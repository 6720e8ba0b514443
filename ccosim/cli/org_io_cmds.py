"""``ccosim org export | import | diff``: move orgs in and out of ccosim and compare designs."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from ccosim.cli.options import (
    OrgMoment,
    at_month_option,
    force_option,
    inputs_of,
    pack,
    set_option,
)
from ccosim.cli.progress import Progress
from ccosim.cli.terminal import shown, write_json
from ccosim.errors import CcosimError
from ccosim.io import formats, hris
from ccosim.io.authoring import write_scenario_files
from ccosim.org import OrgGraph
from ccosim.org.change_file import change_file_csv, change_rows, effective_date
from ccosim.org.org_diff import diff_orgs, format_diff
from ccosim.org.people import resolve_unit
from ccosim.output import atomic_file, check_writable, write_text
from ccosim.scenario import load


@click.command("export")
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file; the format follows the suffix (.dot .gv .mmd .graphml .csv) "
    "unless --format is given.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["dot", "mermaid", "graphml", "csv"]),
    help="Output format (default: from the suffix of -o).",
)
@click.option(
    "--split",
    is_flag=True,
    help="Mermaid: if the org has more than 500 edges (Mermaid's default maxEdges), write "
    "one file per executive subtree (FILE-<id>.mmd) beside FILE.",
)
@at_month_option
@set_option
@force_option
def export_cmd(
    scenario: Path,
    output: Path,
    fmt: str | None,
    split: bool,
    at_month: OrgMoment,
    set_options: tuple[str, ...],
    force: bool,
) -> None:
    """Export a scenario's org to Graphviz DOT, Mermaid, GraphML or CSV.

    GraphML and CSV carry every unit field and read back into the same org: edit the CSV
    in a spreadsheet and bring it back with 'ccosim org import' (its loaded_cost column is
    loaded cost per head, never loaded again). DOT and Mermaid are for drawing (colours by
    function, dashed open units, dotted lines, individual contributors stacked).
    --at-month M exports the org the scenario's timeline produces at month M (--at
    YYYY-MM: the month counted from the scenario's start_date).

    \b
    Examples:
      ccosim org export scenarios/cco_full.yaml -o cco.dot
      dot -Tsvg cco.dot -o cco.svg
      ccosim org export scenarios/cco_full.yaml -o cco.graphml
      ccosim org export big.yaml -o big.mmd --split
      ccosim org export transition.yaml -o month24.csv --at-month 24
      ccosim org export transition.yaml -o june.csv --at 2027-06
    """
    fmt = fmt or formats.format_from_suffix(output)
    if fmt is None:
        raise CcosimError(
            f"{output}: cannot tell the format from the suffix {output.suffix or '(none)'}; "
            "use .dot, .gv, .mmd, .graphml or .csv, or pass --format"
        )
    if split and fmt != "mermaid":
        raise CcosimError("--split applies to Mermaid exports only")
    inputs = inputs_of([scenario])
    check_writable(output, force, inputs=inputs)
    graph = OrgGraph.from_scenario(at_month.of(load(scenario, set_options=set_options), scenario))
    if fmt == "mermaid":
        if split:
            parts, warnings = formats.to_mermaid_parts(graph, output.stem)
            paths = [output.with_name(f"{output.stem}{p.suffix}{output.suffix}") for p in parts]
            for path in paths:
                check_writable(path, force, inputs=inputs)
            for path, part in zip(paths, parts, strict=True):
                write_text(path, part.text, force=force)
                click.echo(f"wrote {shown(path)} ({part.edges} edges)", err=True)
            for warning in warnings:
                click.echo(f"warning: {warning}", err=True)
            return
        text = formats.to_mermaid(graph)
    elif fmt == "dot":
        text = formats.to_dot(graph, name=scenario.stem)
    elif fmt == "graphml":
        text = formats.to_graphml(graph, name=scenario.stem)
    else:
        text = formats.to_csv(graph)
    write_text(output, text, force=force)
    click.echo(f"wrote {shown(output)} ({fmt}, {len(graph)} units)", err=True)


_COLUMN_FIELDS = {"id_col": "id", "pay_frequency": "pay_period", "dotted": "dotted_to"}


def _columns(**given: str | None) -> dict[str, str | None]:
    """The column options by the importer's names (``--id`` is ``id``)."""
    return {_COLUMN_FIELDS.get(key, key): value for key, value in given.items()}


def import_options(
    columns: dict[str, str | None], reading: dict[str, Any], lenient: bool
) -> hris.ImportOptions:
    """The importer's options from ``org import``'s (open markers split at commas)."""
    markers = reading["open_markers"]
    return hris.ImportOptions(
        columns=columns,
        keywords=hris.load_keywords(reading["keywords"]),
        fold_teams=reading["fold_teams"],
        loaded_multiplier=reading["loaded_multiplier"],
        cost_is_loaded=reading["cost_is_loaded"],
        monthly=reading["monthly"],
        pay_period=reading["pay_period"],
        include_inactive=reading["include_inactive"],
        lenient=lenient,
        decimal=reading["decimal"],
        skip_rows=reading["skip_rows"],
        open_markers=tuple(m.strip() for m in markers.split(",") if m.strip())
        if markers
        else hris.OPEN_MARKERS,
        blank_name_open=reading["blank_name_open"],
    )


@click.command("import")
@click.argument("csv_file", metavar="CSV", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Scenario YAML to write.",
)
@pack(
    "columns",
    _columns,
    [
        (
            "id_col",
            click.option(
                "--id", "id_col", metavar="COLUMN", help="Employee (or position) id column."
            ),
        ),
        (
            "parent",
            click.option("--parent", metavar="COLUMN", help="Manager id column."),
        ),
        (
            "manager_name",
            click.option(
                "--manager-name",
                metavar="COLUMN",
                help="Column holding the manager's name (when there is no manager id column).",
            ),
        ),
        (
            "manager_email",
            click.option(
                "--manager-email",
                metavar="COLUMN",
                help="Column holding the manager's e-mail, matched against --email (guessed: "
                "manager_email, supervisor_email, ...). A manager cell with an @ is always "
                "matched by e-mail.",
            ),
        ),
        (
            "email",
            click.option(
                "--email",
                metavar="COLUMN",
                help="The employee's e-mail column (guessed: email, work_email, ...).",
            ),
        ),
        (
            "dotted",
            click.option(
                "--dotted",
                metavar="COLUMN",
                help="Dotted-line (matrix) manager column: ids, names or e-mails, several "
                "separated by ; (guessed: dotted_to, matrix_manager, ...).",
            ),
        ),
        (
            "title",
            click.option("--title", metavar="COLUMN", help="Job title column."),
        ),
        (
            "name",
            click.option(
                "--name", metavar="COLUMNS", help="Name column(s), comma-separated, joined."
            ),
        ),
        (
            "cost",
            click.option("--cost", metavar="COLUMN", help="Salary (or cost) column."),
        ),
        (
            "department",
            click.option("--department", metavar="COLUMN", help="Department column."),
        ),
        (
            "location",
            click.option("--location", metavar="COLUMN", help="Location column."),
        ),
        (
            "status",
            click.option(
                "--status",
                metavar="COLUMN",
                help="Position status column: rows whose status is an open marker are "
                "positions to be hired (guessed: status, position_status, "
                "requisition_status, ...).",
            ),
        ),
        (
            "employment_status",
            click.option(
                "--employment-status",
                metavar="COLUMN",
                help="Employment status column: terminated and inactive employees are left out "
                "and listed (guessed: employment_status, worker_status, active, ...).",
            ),
        ),
        (
            "pay_frequency",
            click.option(
                "--pay-frequency",
                metavar="COLUMN",
                help="Pay frequency column: hourly, daily, weekly, biweekly, monthly, annual "
                "('Salary' is annual) (guessed: pay_frequency, pay_type, pay_rate_type, ...).",
            ),
        ),
        (
            "fte",
            click.option(
                "--fte",
                metavar="COLUMN",
                help="FTE (or headcount) column: 0.5 is half a head (guessed: fte, headcount).",
            ),
        ),
    ],
)
@pack(
    "reading",
    dict,
    [
        (
            "open_markers",
            click.option(
                "--open-markers",
                metavar="WORDS",
                help="Comma-separated status or name values meaning 'to be hired' (default: open, "
                "open requisition, requisition, req, vacant, vacancy, to be hired, tbh, tbd, "
                "unfilled, approved, posted, recruiting, hiring, new hire).",
            ),
        ),
        (
            "blank_name_open",
            click.option(
                "--blank-name-open",
                is_flag=True,
                help="A row with no name in the name column is a position to be hired.",
            ),
        ),
        (
            "decimal",
            click.option(
                "--decimal",
                type=click.Choice([".", ","]),
                help="Decimal mark of the numbers (default: detected; '2.954,55' means a "
                "decimal comma).",
            ),
        ),
        (
            "skip_rows",
            click.option(
                "--skip-rows",
                type=click.IntRange(min=0),
                default=0,
                metavar="N",
                help="Lines above the header to skip (a report title, a date line).",
            ),
        ),
        (
            "keywords",
            click.option(
                "--keywords",
                type=click.Path(dir_okay=False, path_type=Path),
                help="Function keyword table (default: the shipped "
                "ccosim/io/hris/function_keywords.yaml).",
            ),
        ),
        (
            "fold_teams",
            click.option(
                "--fold-teams/--no-fold-teams",
                default=None,
                help="Fold employees under one manager with the same function and no reports into "
                "one team (headcount = their heads, cost = their mean). Default: only above "
                "10,000 rows, so the scenario stays a size the loader reads.",
            ),
        ),
        (
            "loaded_multiplier",
            click.option(
                "--loaded-multiplier",
                type=click.FloatRange(min=0, min_open=True),
                default=1.25,
                show_default=True,
                help="Salary x this = loaded cost (benefits, taxes, overhead; the scenario "
                "format's own default). Not applied to a column named loaded_cost.",
            ),
        ),
        (
            "cost_is_loaded",
            click.option(
                "--cost-is-loaded", is_flag=True, help="The cost column already is loaded cost."
            ),
        ),
        (
            "monthly",
            click.option(
                "--monthly",
                is_flag=True,
                help="Same as --pay-period monthly (x 12).",
            ),
        ),
        (
            "pay_period",
            click.option(
                "--pay-period",
                type=click.Choice(list(hris.PAY_PERIODS)),
                help="How often the cost column is paid, where no pay-frequency column says "
                "(default annual; an hour is 1/2,080 of a year).",
            ),
        ),
        (
            "include_inactive",
            click.option(
                "--include-inactive",
                is_flag=True,
                help="Keep terminated and inactive employees (by default left out and listed).",
            ),
        ),
    ],
)
@pack(
    "written",
    dict,
    [
        (
            "extends",
            click.option(
                "--extends",
                "extends",
                type=click.Path(dir_okay=False, path_type=Path),
                help="Take customers: (and assumptions:) from this file, written as 'extends:' "
                "relative to the output. Without it, a placeholder customer base to replace.",
            ),
        ),
        (
            "scenario_name",
            click.option("--scenario-name", metavar="TEXT", help="The scenario's name."),
        ),
        (
            "currency",
            click.option("--currency", metavar="ISO", help="Currency of the costs (default USD)."),
        ),
    ],
)
@click.option(
    "--lenient",
    is_flag=True,
    help="Import what can be imported and list what was skipped or changed, instead of "
    "stopping at the first problems.",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@force_option
def import_cmd(
    csv_file: Path,
    output: Path,
    columns: dict[str, str | None],
    reading: dict[str, Any],
    written: dict[str, Any],
    lenient: bool,
    quiet: bool,
    force: bool,
) -> None:
    """Import an HRIS CSV export (one row per employee or position) as a scenario's org.

    Columns are guessed from common names unless given; functions are guessed from titles
    and departments by a keyword table (a 'function' column is taken as it is). Open
    requisitions (a status column, 'TBH' names) become positions to be hired; an FTE column
    gives fractional heads. A CSV written by 'ccosim org export' imports back into the same
    org (its loaded_cost column is not loaded again). Problems name the CSV line and column;
    without --lenient any problem stops the import (exit 2).

    \b
    Examples:
      ccosim org import hris.csv -o org.yaml
      ccosim org import hris.csv -o org.yaml --id id --parent parentId --title position \\
          --name name,lastName --cost salary --department department_name --fold-teams
      ccosim org import export_de.csv -o org.yaml --decimal , --skip-rows 2 --status Status
      ccosim org export org.yaml -o org.csv   # edit in a spreadsheet, then:
      ccosim org import org.csv -o org.yaml --force
    """
    inputs = inputs_of([written["extends"]], [csv_file])
    check_writable(output, force, inputs=inputs)
    options = import_options(columns, reading, lenient)
    with Progress(0, "Reading rows", quiet=quiet, engine=False) as bar:

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done)

        result = hris.import_hris_csv(csv_file, replace(options, progress=progress))
    if result.employees > hris.FOLD_ABOVE and not quiet:
        click.echo(f"checking the scenario ({len(result.units):,} units)...", err=True)
    files = write_scenario_files(
        result,
        output,
        extends=written["extends"],
        name=written["scenario_name"],
        currency=written["currency"],
        force=force,
    )
    _echo_summary(result, output, str(csv_file))
    if len(files) > 1:
        parts = ", ".join(p.name for p in files[1:])
        click.echo(
            f"the org is larger than one scenario file holds (2 MB): {output.name} extends "
            f"{parts} (the rest of the units); keep the files together",
            err=True,
        )
    if result.problems:
        click.echo(f"{len(result.problems)} problem(s) worked around (--lenient)", err=True)


def _echo_summary(result: hris.ImportResult, output: Path, source: str) -> None:
    """What the import did, on standard error: problems, notes, listed rows, the headline."""
    for problem in result.problems:
        click.echo(f"skipped or changed: {problem.describe(source)}", err=True)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    listed = result.listed
    kept = result.settings.get("include_inactive")
    groups = [
        ("inactive, kept" if kept else "inactive, left out", listed.inactive),
        ("no pay, the function's default cost", listed.blank_pay),
        ("warning: pay looks like another period's", listed.doubtful_pay),
    ]
    for label, rows in groups:
        if rows:
            click.echo(f"{label} ({len(rows)}):", err=True)
            for row in rows[:20]:
                click.echo(f"  {row.describe()}", err=True)
            if len(rows) > 20:
                click.echo(f"  ... and {len(rows) - 20} more", err=True)
    if listed.doubtful_pay:
        looks = Counter(row.detail.rsplit(" ", 1)[-1] for row in listed.doubtful_pay)
        common, count = looks.most_common(1)[0]
        hint = f"most look {common}: --pay-period {common}?" if count > 1 else ""
        click.echo(
            f"  {hint or 'pass --pay-period'} (or a pay-frequency column) if this is not "
            "the period of the pay",
            err=True,
        )
    functions = ", ".join(f"{f} {n}" for f, n in result.functions.items())
    click.echo(
        f"wrote {output}: {result.headline()} -> {len(result.units)} units, "
        f"top {result.root}; functions: {functions}",
        err=True,
    )


@click.command("diff")
@click.argument("as_is", metavar="A.yaml", type=click.Path(dir_okay=False, path_type=Path))
@click.argument(
    "to_be",
    metavar="B.yaml [C.yaml ...]",
    nargs=-1,
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
)
@click.option(
    "--json",
    "json_target",
    metavar="FILE",
    help="Write the diffs as JSON ('-' for standard output) instead of tables.",
)
@click.option(
    "--chart",
    "chart_target",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also draw each to-be org with its changes highlighted (added green, moved blue, "
    "changed orange, removed listed beside); .png, .svg or .pdf. With several designs, "
    "one file each: NAME-B.png, NAME-C.png.",
)
@click.option(
    "--moves",
    "moves_target",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the payroll-ready change file (CSV): one row per person affected "
    "(moved, moved with their manager, retitled, dotted line changed, requisition added, "
    "removed) with old and new manager, title and unit, the effective date and the people "
    "counted. With several designs, one file each: NAME-B.csv, NAME-C.csv.",
)
@click.option(
    "--effective-date",
    "effective",
    metavar="DATE",
    default="",
    help="Effective date written in every row of --moves: YYYY-MM-DD, or YYYY-MM for the "
    "first of the month.",
)
@click.option(
    "--effective-month",
    "effective_month",
    metavar="YYYY-MM",
    default="",
    hidden=True,
    help="Older name of --effective-date (the first of the month).",
)
@click.option(
    "--root",
    metavar="UNIT",
    help="--chart: draw only the subtree under this unit (an id, a person's name or a title).",
)
@click.option(
    "--paper",
    type=click.Choice(["a4", "letter", "a3"]),
    help="--chart (PDF): pages of this paper size, split where the org is too large.",
)
@click.option("--landscape", is_flag=True, help="--paper: landscape pages.")
@set_option
@force_option
def diff_cmd(
    as_is: Path,
    to_be: tuple[Path, ...],
    json_target: str | None,
    chart_target: Path | None,
    moves_target: Path | None,
    effective: str,
    effective_month: str,
    root: str | None,
    paper: str | None,
    landscape: bool,
    set_options: tuple[str, ...],
    force: bool,
) -> None:
    """Compare an as-is org (A) with one or more to-be designs.

    For each design: positions added, removed, moved (new manager) and changed (headcount,
    cost, function, title, ...), headcount and cost deltas by function and by executive,
    and managers whose span changed. --set applies to every file.

    Units are named by person and title ("Steven King, Chief Operating Officer"); the
    headline separates filled heads from heads to be hired.

    \b
    Examples:
      ccosim org diff scenarios/post_sales_cs.yaml scenarios/cco_full.yaml
      ccosim org diff today.yaml option_a.yaml option_b.yaml --json diff.json
      ccosim org diff today.yaml next.yaml --moves moves.csv --effective-date 2027-01-01
      ccosim org diff today.yaml next.yaml --chart diff.pdf --paper a4 --root "Ada King"
    """
    inputs = inputs_of([as_is, *to_be])
    if json_target and json_target != "-":
        check_writable(Path(json_target), force, inputs=inputs)
    charts = _diff_chart_paths(chart_target, to_be)
    for target in charts:
        check_writable(target, force, inputs=inputs)
    if (paper or landscape or root) and not charts:
        raise CcosimError("--root, --paper and --landscape apply to --chart")
    if paper and any(t.suffix.lower() != ".pdf" for t in charts):
        raise CcosimError("--paper writes PDF pages: give a --chart ending in .pdf")
    moves = _diff_paths(moves_target, to_be, (".csv",), "--moves")
    if effective and effective_month:
        raise CcosimError("give --effective-date or --effective-month, not both")
    when = effective or effective_month
    when = effective_date(when, option="--effective-date") if when else ""
    for target in moves:
        check_writable(target, force, inputs=inputs)
    base = OrgGraph.from_scenario(load(as_is, set_options=set_options))
    graphs = [OrgGraph.from_scenario(load(path, set_options=set_options)) for path in to_be]
    diffs = [
        diff_orgs(base, graph, name_a=str(as_is), name_b=str(path))
        for graph, path in zip(graphs, to_be, strict=True)
    ]
    if charts:
        # lazy: matplotlib loads only when --chart asks for a drawing.
        from ccosim.charting.org_chart import diff_chart_figure, save_diff_pages
        from ccosim.report.figures import save_figure

        for graph, diff, target in zip(graphs, diffs, charts, strict=True):
            top = resolve_unit(graph.units, root) if root else None
            pages: list[str] = []
            with atomic_file(target, force=force) as tmp:
                if paper:
                    pages = save_diff_pages(
                        graph, diff, tmp, paper=paper, landscape=landscape, root=top
                    )
                else:
                    save_figure(diff_chart_figure(graph, diff, root=top), tmp)
            click.echo(
                f"wrote {shown(target)}" + (f" ({len(pages)} pages)" if pages else ""), err=True
            )
    for graph, target in zip(graphs, moves, strict=False):
        rows = change_rows(base, graph, effective=when)
        write_text(target, change_file_csv(rows), force=force)
        people = sum(r.people for r in rows)
        click.echo(
            f"wrote {shown(target)} ({len(rows)} rows, {people} "
            f"{'person' if people == 1 else 'people'} affected)",
            err=True,
        )
    if json_target:
        write_json(
            {"as_is": str(as_is), "designs": [d.to_dict() for d in diffs]},
            json_target,
            force=force,
        )
        return
    click.echo("\n\n".join(format_diff(d) for d in diffs))


def _diff_chart_paths(target: Path | None, to_be: tuple[Path, ...]) -> list[Path]:
    """One chart file per to-be design (the name gains the design's stem when there are many)."""
    return _diff_paths(target, to_be, (".png", ".svg", ".pdf"), "--chart")


def _diff_paths(
    target: Path | None, to_be: tuple[Path, ...], suffixes: tuple[str, ...], option: str
) -> list[Path]:
    """One file per to-be design (the name gains the design's stem when there are many)."""
    if target is None:
        return []
    if target.suffix.lower() not in suffixes:
        raise CcosimError(f"{option} {target}: use a {' or '.join(suffixes)} file")
    if len(to_be) == 1:
        return [target]
    return [target.with_name(f"{target.stem}-{p.stem}{target.suffix}") for p in to_be]
