"""Stages 4 to 6 of an HRIS import: managers linked, the hierarchy repaired, the units built."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ccosim.io.hris.columns import Columns
from ccosim.io.hris.problems import ImportProblem
from ccosim.io.hris.rows import ListedRows, Position, RowNote, match_key, safe_unit_id
from ccosim.scenario.schema import Unit

__all__ = ["build_units", "drop_inactive", "link_managers", "repair_hierarchy"]


def _person_key(text: str) -> str:
    text = text.strip()
    if "," in text:  # "King, Steven"
        last, _, first = text.partition(",")
        text = f"{first} {last}"
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def link_managers(
    positions: list[Position],
    columns: Columns,
    problems: list[ImportProblem],
    notes: list[str],
) -> set[str]:
    """Stage 4: each position's ``parent`` becomes its manager's key, or None.

    Managers are matched by id, leading zeros ignored (``007`` is ``7``), and a cell with an
    ``@`` by the e-mail column. When most manager cells match no id but do match people's
    names (``Steven King`` or ``King, Steven``), the column is read as names. Dotted-line
    managers are matched by id, e-mail or (unique) name.

    Returns:
        Keys of positions whose manager is missing (re-attached under the top later).
    """
    col = columns.name
    parent_col = col("parent") or col("manager_name") or col("manager_email")
    by_key = {p.key: p for p in positions}
    by_email = {p.email: p for p in positions if p.email}
    by_name: dict[str, list[Position]] = {}
    for p in positions:
        if p.name:
            by_name.setdefault(_person_key(p.name), []).append(p)
    cells = [p for p in positions if p.parent is not None]
    reattached: set[str] = set()
    for p in [p for p in cells if "@" in (p.parent or "")]:
        cells.remove(p)
        _link_by_email(p, by_email, columns, problems, reattached)
    unmatched = [p for p in cells if match_key(p.parent or "") not in by_key]
    named = [p for p in unmatched if _person_key(p.parent or "") in by_name]
    by_names = not columns.has("parent") or (cells and len(named) >= max(1, len(cells) // 2))
    padded = [
        p
        for p in cells
        if match_key(p.parent or "") in by_key
        and by_key[match_key(p.parent or "")].raw_id != p.parent
    ]
    if padded:
        first = padded[0]
        notes.append(
            f"{len(padded)} manager id{'s' if len(padded) > 1 else ''} matched ignoring "
            f"leading zeros (line {first.line}: "
            f"{first.parent!r} is {by_key[match_key(first.parent or '')].raw_id!r})"
        )
    if by_names and named:
        notes.append(
            f"column '{parent_col}' holds managers' names, not ids: {len(named)} matched by name"
        )
    hinted = False
    for p in cells:
        text = p.parent or ""
        target = by_key.get(match_key(text))
        if target is None and by_names:
            found = by_name.get(_person_key(text), [])
            if len(found) > 1:
                lines = ", ".join(str(f.line) for f in found)
                problems.append(
                    ImportProblem(
                        p.line,
                        parent_col,
                        f"manager {text!r} of {p.raw_id!r}: several people have that name "
                        f"(lines {lines})",
                        "re-attached under the top of the org",
                    )
                )
                p.parent = None
                reattached.add(p.key)
                continue
            target = found[0] if found else None
        if target is None:
            hint = ""
            if not hinted and not by_names and _person_key(text) in by_name:
                hint = f"; it is a person's name: is '{parent_col}' a column of names?"
                hinted = True
            problems.append(
                ImportProblem(
                    p.line,
                    parent_col,
                    f"manager {text!r} of {p.raw_id!r} is not in the file{hint}",
                    "re-attached under the top of the org",
                )
            )
            p.parent = None
            reattached.add(p.key)
        else:
            p.parent = target.key
    _link_dotted(positions, by_key, by_email, by_name, col("dotted_to"), problems)
    return reattached


def _link_dotted(
    positions: list[Position],
    by_key: Mapping[str, Position],
    by_email: Mapping[str, Position],
    by_name: Mapping[str, list[Position]],
    column: str,
    problems: list[ImportProblem],
) -> None:
    """Each dotted-line manager (an id, an e-mail or a unique name) becomes its key."""
    for p in positions:
        kept = []
        for text in p.dotted:
            target = by_key.get(match_key(text)) or by_email.get(text.lower())
            if target is None and len(by_name.get(_person_key(text), [])) == 1:
                target = by_name[_person_key(text)][0]
            if target is None:
                problems.append(
                    ImportProblem(
                        p.line,
                        column,
                        f"dotted-line manager {text!r} of {p.raw_id!r} is not in the file",
                        "dotted line dropped",
                    )
                )
            elif target.key != p.key and target.key not in kept:
                kept.append(target.key)
        p.dotted = kept


def _link_by_email(
    p: Position,
    by_email: Mapping[str, Position],
    columns: Columns,
    problems: list[ImportProblem],
    reattached: set[str],
) -> None:
    """Link ``p`` to the manager whose e-mail its manager cell holds."""
    text = (p.parent or "").strip()
    target = by_email.get(text.lower())
    if target is not None:
        p.parent = target.key
        return
    hint = "" if columns.has("email") else "; the file has no e-mail column: name it with --email"
    problems.append(
        ImportProblem(
            p.line,
            columns.name("manager_email") or columns.name("parent"),
            f"manager {text!r} of {p.raw_id!r} is not the e-mail of anyone in the file{hint}",
            "re-attached under the top of the org",
        )
    )
    p.parent = None
    reattached.add(p.key)


def drop_inactive(
    positions: list[Position],
    *,
    keep: bool,
    listed: ListedRows,
    notes: list[str],
) -> list[Position]:
    """Leave out terminated and inactive employees, their reports under the next manager up.

    Args:
        positions: Linked positions (``parent`` is a manager's key or None).
        keep: Keep them (``--include-inactive``): only listed.
        listed: Their rows are appended to ``listed.inactive``.
        notes: What was re-attached is appended here.

    Returns:
        The positions kept.
    """
    gone = {p.key: p for p in positions if p.inactive}
    listed.inactive.extend(
        RowNote(p.line, p.raw_id, p.name or "", p.inactive or "") for p in gone.values()
    )
    if keep or not gone:
        return positions
    moved = 0
    for p in positions:
        if p.key in gone:
            continue
        seen: set[str] = set()
        while p.parent in gone and p.parent not in seen:
            seen.add(p.parent)
            p.parent = gone[p.parent].parent
            moved += 1 if len(seen) == 1 else 0
        if p.parent in gone:
            p.parent = None
        p.dotted = [k for k in p.dotted if k not in gone]
    if moved:
        notes.append(
            f"{moved} people reported to a terminated or inactive manager: now under the next "
            "manager up"
        )
    return [p for p in positions if p.key not in gone]


# ---- stage 5: hierarchy --------------------------------------------------------------------


def repair_hierarchy(
    positions: list[Position],
    reattached: set[str],
    columns: Columns,
    problems: list[ImportProblem],
    notes: list[str],
) -> Position:
    """Stage 5: break reporting cycles, pick the top of the org, attach other tops under it.

    Returns:
        The top of the org.
    """
    by_key = {p.key: p for p in positions}
    state: dict[str, int] = {}
    for position in positions:
        walk: list[Position] = []
        node: Position | None = position
        while node is not None and node.key not in state:
            state[node.key] = 1
            walk.append(node)
            node = by_key[node.parent] if node.parent is not None else None
        if node is not None and state[node.key] == 1:
            loop = walk[walk.index(node) :]
            first = min(loop, key=lambda e: e.line)
            chain = " -> ".join(f"{e.raw_id} (line {e.line})" for e in [*loop, node])
            problems.append(
                ImportProblem(
                    first.line,
                    columns.name("parent") or columns.name("manager_name"),
                    f"reporting cycle: {chain}",
                    f"{first.raw_id} re-attached under the top of the org",
                )
            )
            first.parent = None
            reattached.add(first.key)
        for visited in walk:
            state[visited.key] = 2

    children: dict[str | None, list[Position]] = {}
    for position in positions:
        children.setdefault(position.parent, []).append(position)
    size: dict[str, int] = {}
    for position in reversed(_top_down(children)):
        size[position.key] = sum(1 + size[c.key] for c in children.get(position.key, []))
    tops = children[None]
    genuine = [e for e in tops if e.key not in reattached] or tops
    root = max(genuine, key=lambda e: (size[e.key], -e.line))
    for other in tops:
        if other is not root:
            other.parent = root.key
    extra = [e for e in tops if e is not root and e.key not in reattached]
    if extra:
        listed = ", ".join(f"{e.raw_id} (line {e.line})" for e in extra[:10])
        more = f" and {len(extra) - 10} more" if len(extra) > 10 else ""
        notes.append(
            f"{len(extra) + 1} employees have no manager; {root.raw_id} (line {root.line}, "
            f"{size[root.key]} people below) is the top, the others report to it: {listed}{more}"
        )
    return root


def _top_down(children: Mapping[str | None, list[Position]]) -> list[Position]:
    """Depth first from every top, file order among siblings."""
    ordered: list[Position] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        node = stack.pop()
        ordered.append(node)
        stack.extend(reversed(children.get(node.key, [])))
    return ordered


# ---- stage 6: units ------------------------------------------------------------------------


def build_units(
    positions: list[Position], root: Position, *, fold_teams: bool, notes: list[str]
) -> tuple[list[Unit], dict[str, list[int]]]:
    """Stage 6: the units, top-down, and the CSV lines of each.

    With ``fold_teams``, reports of one manager with the same function (and segment and
    currency) who have no reports, dotted lines or staffing policy of their own become one
    team: headcount = their heads, open headcount = the heads still to be hired, cost = the
    mean cost per head of those with a cost.
    """
    children: dict[str | None, list[Position]] = {}
    for p in positions:
        children.setdefault(p.parent, []).append(p)
    ordered = _top_down({None: [root], **{k: v for k, v in children.items() if k is not None}})
    unit_of = {p.key: p.id for p in positions}
    used_ids = {p.id for p in positions}
    dotted_targets = {k for p in positions for k in p.dotted}
    folded_into: dict[str, list[Position]] = {}
    skip: set[str] = set()
    if fold_teams:
        for manager, reports in children.items():
            if manager is None:
                continue
            groups: dict[tuple[Any, ...], list[Position]] = {}
            for p in reports:
                if (
                    p.key not in children
                    and not p.dotted
                    and p.staffing is None
                    and p.seat is None
                    and p.span_limit is None
                    and p.key not in dotted_targets
                ):
                    groups.setdefault((p.function, p.segment, p.currency), []).append(p)
            for group in groups.values():
                if len(group) >= 2:
                    folded_into[group[0].key] = group
                    skip.update(p.key for p in group[1:])
    units: list[Unit] = []
    lines: dict[str, list[int]] = {}
    for p in ordered:
        if p.key in skip:
            continue
        group = folded_into.get(p.key)
        reports_to = unit_of[p.parent] if p.parent is not None else None
        if group:
            unit_id = safe_unit_id(f"{reports_to}_{p.function.value}_team", used_ids)
            used_ids.add(unit_id)
            titles = list(dict.fromkeys(m.title for m in group))
            title = " / ".join(titles[:3]) + (" / ..." if len(titles) > 3 else "")
            costed = [m for m in group if m.cost is not None]
            costed_heads = sum(m.heads for m in costed)
            heads = sum(m.heads for m in group)
            open_heads = sum(m.heads if m.vacant else m.open_heads for m in group)
            places = {m.location for m in group}
            fields: dict[str, Any] = {
                "id": unit_id,
                "title": title[:200],
                "function": p.function,
                "reports_to": reports_to,
                "headcount": heads,
                "open_headcount": open_heads if open_heads < heads or heads == 0 else None,
                "vacant": open_heads >= heads > 0 or None,
                "cost": round(sum(m.cost * m.heads for m in costed) / costed_heads, 2)  # type: ignore[operator]
                if costed_heads
                else (costed[0].cost if costed else None),
                "location": places.pop() if len(places) == 1 else None,
                "segment": p.segment,
                "currency": p.currency,
            }
            lines[unit_id] = [m.line for m in group]
        else:
            unit_id = p.id
            fields = {
                "id": p.id,
                "title": p.title,
                "name": p.name,
                "function": p.function,
                "reports_to": reports_to,
                "dotted_to": [unit_of[k] for k in p.dotted] or None,
                "headcount": p.heads,
                "open_headcount": p.open_heads or None,
                "vacant": p.vacant or None,
                "cost": p.cost,
                "location": p.location,
                "currency": p.currency,
                "span_limit": p.span_limit,
                "segment": p.segment,
                "staffing": p.staffing,
                "seat": p.seat,
            }
            lines[unit_id] = [p.line]
        units.append(Unit.model_validate({k: v for k, v in fields.items() if v is not None}))
    if folded_into:
        folded = sum(len(g) for g in folded_into.values())
        notes.append(f"--fold-teams: {folded} rows folded into {len(folded_into)} teams")
    return units, lines
