"""Writing outputs safely: never overwrite without ``force``, never lose data, never half-write.

Files are written to a unique temporary sibling and renamed into place (atomic on POSIX).
Folders are built under a unique temporary sibling name and renamed at the end, so an
interrupted run leaves either the old output or the new one, never a mix. On top of that:

* no output ever replaces an input: :func:`check_writable` takes the command's input files
  and refuses an output that is one of them (or, for a folder, holds one), whatever the flag;
* ``force`` replaces only a folder ccosim made, holding nothing but the files ccosim wrote
  there (listed in its :data:`MARKER` file), or an empty one; any other folder is refused,
  whatever the flag, with a message saying what was found;
* a folder that did not exist when the work started is claimed atomically at the end
  (``mkdir`` then rename onto it), so two runs into one new folder cannot both succeed, and a
  replaced folder is checked again just before the swap;
* SIGTERM and SIGINT while a folder or file is built remove the temporary copy; the two
  renames that swap an old folder for a new one run with both signals blocked;
* temporary folders carry the writing process's id; ones left by a process that no longer
  runs (killed with SIGKILL, a power cut) are removed the next time the same output is
  checked or written. If such a kill fell between the two renames, that next command
  completes the new output (when it was whole) or else restores the old one, and says which;
* paths are checked before any work: ``-o .`` (the current folder or one of its parents), a
  file where a folder is expected, and a folder that cannot be written are clear errors.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from ccosim.errors import CcosimError, OutputExistsError
from ccosim.yaml_text import comment_text

__all__ = [
    "MARKER",
    "OutputPathError",
    "atomic_dir",
    "atomic_file",
    "check_not_input",
    "check_writable",
    "recover",
    "write_bytes",
    "write_text",
]

MARKER = ".ccosim-output"
"""File in every folder ccosim writes, listing the files it wrote (JSON): what ``--force``
may replace."""

_MARKER_NOTE = "written by ccosim; --force may replace this folder if it holds only these files"
_SHOWN = 5  # files named in a refusal

_log = logging.getLogger(__name__)

_UMASK: int | None = None


class OutputPathError(CcosimError):
    """An output path that cannot or must not be written."""


def _umask() -> int:
    """The process umask (read once; temporary files ignore it, final outputs honour it)."""
    global _UMASK
    if _UMASK is None:
        _UMASK = os.umask(0o022)
        os.umask(_UMASK)
    return _UMASK


def _files_in(folder: Path) -> list[str]:
    """Every file (and link) under ``folder`` but the marker, as sorted relative POSIX paths."""
    found = []
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        for name in [*files, *(d for d in dirs if (here / d).is_symlink())]:
            found.append((here / name).relative_to(folder).as_posix())
    return sorted(f for f in found if f != MARKER)


def _listed_files(folder: Path) -> list[str] | None:
    """The files the marker of ``folder`` lists, or None without a marker that lists files."""
    try:
        record = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    files = record.get("files") if isinstance(record, dict) else None
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    return files


def _write_marker(folder: Path) -> None:
    """Record in the marker the files ``folder`` holds: a complete ccosim output."""
    record = {"note": _MARKER_NOTE, "files": _files_in(folder)}
    (folder / MARKER).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")


def is_ccosim_output(folder: Path) -> bool:
    """True if ``folder`` holds only files ccosim wrote there (as its marker lists them)."""
    return _foreign_reason(folder) is None


def _foreign_reason(folder: Path) -> str | None:
    """Why ``folder`` is not a ccosim output ``--force`` may replace, or None if it is."""
    listed = _listed_files(folder)
    if listed is None:
        if (folder / MARKER).is_file():
            return (
                f"its {MARKER} lists no files (written by an older ccosim, or by hand), so "
                "ccosim cannot tell its own files from yours"
            )
        manifests = [m for m in ("manifest.json", "data/manifest.json") if (folder / m).is_file()]
        if manifests:
            return (
                f"it holds {manifests[0]} but no {MARKER} listing the files ccosim wrote (a "
                "copied manifest does not make a folder ccosim's)"
            )
        return "it holds no record of files ccosim wrote (a folder ccosim did not write)"
    extra = sorted(set(_files_in(folder)) - set(listed))
    if extra:
        shown = ", ".join(extra[:_SHOWN]) + (
            f" and {len(extra) - _SHOWN} more" if len(extra) > _SHOWN else ""
        )
        return f"it holds files ccosim did not write: {shown}"
    return None


def _is_empty_folder(folder: Path) -> bool:
    try:
        return not any(folder.iterdir())
    except OSError:
        return False


def _check_path(path: Path) -> None:
    """Refuse paths that can never be an output: the current folder or above, an odd name."""
    try:
        here = Path.cwd()
    except OSError:  # the current folder was deleted; only the name can be checked
        here = None
    if path.name in ("", ".", "..") or (
        here is not None and path.resolve() in (here, *here.parents)
    ):
        raise OutputPathError(
            f"{path or '.'}: that is the current folder or one above it; give a new name, "
            "e.g. -o reports/my-run"
        )
    existing = path.parent
    while not existing.exists():
        if existing.is_symlink() or existing == existing.parent:
            break
        existing = existing.parent
    if existing.exists() and not existing.is_dir():
        raise OutputPathError(f"{path}: {existing} is a file, not a folder")
    if existing.exists() and not os.access(existing, os.W_OK | os.X_OK):
        raise OutputPathError(f"{path}: cannot write in {existing} (permission denied)")


def _same_file(one: Path, two: Path) -> bool:
    try:
        return one.resolve() == two.resolve() or os.path.samefile(one, two)
    except OSError:
        return False


def check_not_input(
    path: str | Path, inputs: Iterable[str | Path], *, folder: bool = False
) -> None:
    """Refuse an output ``path`` that is one of the command's ``inputs``, whatever ``--force``.

    Args:
        path: The output file or folder.
        inputs: Every file the command reads (scenarios and their ``extends`` chains, CSV,
            XLSX, JSON and answers files). ``-`` (standard input) is skipped.
        folder: ``path`` is an output folder: it may not hold an input either.

    Raises:
        OutputPathError: ``path`` is, or (a folder) holds, an input.
    """
    path = Path(path)
    for item in inputs:
        if str(item) == "-":
            continue
        source = Path(item)
        if not (source.exists() or source.is_symlink()):
            continue
        inside = folder and source.resolve().is_relative_to(path.resolve())
        if _same_file(path, source) or inside:
            what = "holds" if inside and not _same_file(path, source) else "is"
            raise OutputPathError(
                f"{path} {what} an input of this command ({source}); ccosim never writes over "
                "its inputs, even with --force. Choose another output name"
            )


def check_writable(
    path: str | Path, force: bool, *, folder: bool = False, inputs: Iterable[str | Path] = ()
) -> None:
    """Refuse an output ``path`` that exists unless ``force``, or that cannot be written.

    Called before any work, so a bad ``-o`` fails in a second, not after the simulation. A
    folder left half-swapped by a killed run is first recovered (see :func:`recover`).

    Args:
        path: The output file or folder.
        force: Replacing an existing output is allowed.
        folder: ``path`` is an output folder: with ``force`` it is replaced only if ccosim
            wrote it (and it holds nothing else) or it is empty.
        inputs: The command's input files; an output that is one of them is always refused.

    Raises:
        OutputExistsError: ``path`` exists and ``force`` is false.
        OutputPathError: the path cannot be written, is an input, or is a folder ccosim did
            not write.
    """
    path = Path(path)
    check_not_input(path, inputs, folder=folder)
    _check_path(path)
    if folder:
        recover(path)
    if not (path.exists() or path.is_symlink()):
        return
    if not force:
        raise OutputExistsError(f"{path} already exists; pass --force to replace it")
    if folder:
        _check_replaceable_folder(path)
    elif path.is_dir():
        raise OutputPathError(f"{path} is a folder; give a file name")


def _check_replaceable_folder(path: Path) -> None:
    if path.is_symlink() or not path.is_dir():
        raise OutputPathError(f"{path} exists and is not a folder; --force replaces only folders")
    if _is_empty_folder(path):
        return
    reason = _foreign_reason(path)
    if reason is not None:
        raise OutputPathError(
            f"{path} was not replaced: {reason}. --force replaces only a folder holding "
            "nothing but what ccosim wrote there. Choose another -o, or move that folder away"
        )


def _os_error(path: Path, exc: OSError) -> OutputPathError:
    return OutputPathError(f"{path}: cannot write ({exc.strerror or exc})")


@contextlib.contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """While a temporary output exists, SIGTERM unwinds (exit 143) so it is removed.

    SIGINT already raises KeyboardInterrupt. A handler is installed only in the main thread
    and only where SIGTERM has its default action (a caller's own handler is kept).
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
        yield
        return
    previous = signal.getsignal(signal.SIGTERM)
    if previous is not signal.SIG_DFL:
        yield
        return

    def terminate(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _signals_blocked() -> Iterator[None]:
    """SIGINT and SIGTERM held back (delivered at the end) where the platform allows."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def write_bytes(path: str | Path, data: bytes, *, force: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically; see :func:`check_writable`."""
    path = Path(path)
    with atomic_file(path, force=force) as tmp:
        tmp.write_bytes(data)
    return path


def write_text(path: str | Path, text: str, *, force: bool = False) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically; see :func:`check_writable`."""
    return write_bytes(path, text.encode("utf-8"), force=force)


@contextlib.contextmanager
def atomic_file(path: str | Path, *, force: bool = False) -> Iterator[Path]:
    """A unique temporary file beside ``path`` (same suffix) moved onto it if the block succeeds.

    The temporary name is new and created exclusively, so a planted symlink is never followed
    and two writers never share it. Missing parent folders are created. SIGTERM or SIGINT
    during the block removes the temporary file.

    Raises:
        OutputExistsError: ``path`` exists and ``force`` is false.
        OutputPathError: ``path`` cannot be written.
    """
    path = Path(path)
    check_writable(path, force)
    with _terminate_cleanly():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _clean_stale_files(path)
            fd, name = tempfile.mkstemp(
                prefix=f".{path.stem}.{os.getpid()}.",
                suffix=f".partial{path.suffix}",
                dir=path.parent,
            )
            os.close(fd)
        except OSError as exc:
            raise _os_error(path, exc) from None
        tmp = Path(name)
        try:
            yield tmp
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are for sharing
            if force:
                os.replace(tmp, path)
            else:
                _link_new(tmp, path)
        except OSError as exc:
            raise _os_error(path, exc) from None
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)


def _link_new(tmp: Path, path: Path) -> None:
    """Put ``tmp`` at ``path`` only if nothing is there yet, atomically (a hard link)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise OutputExistsError(
            f"{path} appeared while it was written (another run?); nothing was replaced"
        ) from None
    except OSError:  # a file system without hard links: check, then rename
        if path.exists() or path.is_symlink():
            raise OutputExistsError(
                f"{path} appeared while it was written; nothing replaced"
            ) from None
        os.replace(tmp, path)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _clean_stale_files(path: Path) -> None:
    """Remove temporary files of ``path`` left by processes that no longer run."""
    pattern = re.compile(
        rf"\.{re.escape(path.stem)}\.(\d+)\.[^.]+\.partial{re.escape(path.suffix)}"
    )
    try:
        siblings = list(path.parent.iterdir())
    except OSError:
        return
    for sibling in siblings:
        match = pattern.fullmatch(sibling.name)
        if match and not _pid_alive(int(match.group(1))) and not sibling.is_symlink():
            with contextlib.suppress(OSError):
                if sibling.is_file():
                    sibling.unlink()


def _stale_folders(path: Path) -> tuple[list[Path], list[Path]]:
    """Temporary folders of ``path`` left by dead processes: (new ones, old ones).

    Only folders that carry ccosim's marker (or are empty) count; anything else is left alone.
    """
    pattern = re.compile(rf"\.{re.escape(path.name)}\.(\d+)\.[^.]+\.(partial|old)")
    try:
        siblings = sorted(path.parent.iterdir())
    except OSError:
        return [], []
    found: dict[str, list[Path]] = {"partial": [], "old": []}
    for sibling in siblings:
        match = pattern.fullmatch(sibling.name)
        if not match or _pid_alive(int(match.group(1))) or sibling.is_symlink():
            continue
        if sibling.is_dir() and ((sibling / MARKER).is_file() or _is_empty_folder(sibling)):
            found[match.group(2)].append(sibling)
    return found["partial"], found["old"]


def recover(path: str | Path) -> str | None:
    """Finish what a killed run left beside the output folder ``path``; say what was done.

    A run killed (SIGKILL, a power cut) while it wrote ``path`` leaves a temporary folder:
    the new output (whole if its marker lists its files) and, if it died between the two
    renames of a replace, the old output hidden under a temporary name. If ``path`` is
    missing (or an empty folder just claimed), a whole new output is moved into place, else
    the old one is restored; every other leftover of a dead process is removed.

    Returns:
        What was done to ``path`` (also logged as a warning), or None if nothing was needed.
    """
    path = Path(path)
    partials, olds = _stale_folders(path)
    if not partials and not olds:
        return None
    message = None
    vacant = not (path.exists() or path.is_symlink()) or (
        path.is_dir() and not path.is_symlink() and _is_empty_folder(path)
    )
    whole = [p for p in partials if _listed_files(p) is not None and is_ccosim_output(p)]
    try:
        if vacant and whole:
            os.replace(whole[-1], path)
            partials.remove(whole[-1])
            message = (
                f"{path}: a run writing it was killed before it finished swapping; the new "
                "output it had completed is now in place"
            )
        elif vacant and olds:
            os.replace(olds[-1], path)
            olds.remove(olds[-1])
            message = (
                f"{path}: a run writing it was killed before it finished; the previous "
                "output was restored"
            )
    except OSError:
        return None  # nothing removed: the leftovers still hold the outputs
    for leftover in (*partials, *olds):
        shutil.rmtree(leftover, ignore_errors=True)
    if message:
        _log.warning(comment_text(message))  # a file name reaches the terminal: no escapes
    return message


@contextlib.contextmanager
def atomic_dir(path: str | Path, *, force: bool = False) -> Iterator[Path]:
    """Build a folder under a temporary name; move it to ``path`` only if the block succeeds.

    SIGTERM or SIGINT during the block removes the temporary folder. When the block ends,
    the folder's marker lists every file in it: what a later ``--force`` may replace.

    Yields:
        The temporary folder to write into.

    Raises:
        OutputExistsError: ``path`` exists and ``force`` is false (checked before any work,
            and again, atomically, at the end).
        OutputPathError: ``path`` cannot be written, or is a folder ccosim did not write.
    """
    path = Path(path)
    check_writable(path, force, folder=True)
    with _terminate_cleanly():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            check_writable(path, force, folder=True)
            tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.{os.getpid()}.", dir=path.parent))
            tmp = tmp.rename(tmp.with_name(tmp.name + ".partial"))
            (tmp / MARKER).write_text(_MARKER_NOTE + "\n", encoding="utf-8")
        except OSError as exc:
            raise _os_error(path, exc) from None
        try:
            yield tmp
            _write_marker(tmp)
            os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes 0700
            with _signals_blocked():
                _move_into_place(tmp, path, force)
        except OSError as exc:
            raise _os_error(path, exc) from None
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def _move_into_place(tmp: Path, path: Path, force: bool) -> None:
    """Rename ``tmp`` to ``path``: claim a new ``path`` atomically, or swap a ccosim one."""
    try:
        os.mkdir(path)  # the atomic claim: fails if anyone made ``path`` meanwhile
    except FileExistsError:
        if not force:
            raise OutputExistsError(
                f"{path} appeared while this output was built (another run?); nothing was "
                "replaced. Pass --force to replace it, or choose another -o"
            ) from None
        _check_replaceable_folder(path)  # again: it may have changed during the work
        old = Path(tempfile.mkdtemp(prefix=f".{path.name}.{os.getpid()}.", dir=path.parent))
        old = old.rename(old.with_name(old.name + ".old"))
        os.replace(path, old)  # onto the empty temporary folder
        try:
            os.replace(tmp, path)
        except BaseException:
            os.replace(old, path)  # put the old output back
            raise
        shutil.rmtree(old, ignore_errors=True)
        return
    try:
        os.replace(tmp, path)  # onto the empty folder just claimed
    except BaseException:
        with contextlib.suppress(OSError):
            os.rmdir(path)
        raise
