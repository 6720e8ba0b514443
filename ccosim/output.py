"""Writing outputs safely: never overwrite without ``force``, never lose data, never half-write.

Files are written to a unique temporary sibling and renamed into place (atomic on POSIX).
Folders are built under a unique temporary sibling name and renamed at the end, so an
interrupted run leaves either the old output or the new one, never a mix. On top of that:

* ``force`` replaces only a folder ccosim made (it holds the :data:`MARKER` file, or a
  ccosim ``manifest.json``) or an empty one; any other folder is refused, whatever the flag;
* a folder that did not exist when the work started is claimed atomically at the end
  (``mkdir`` then rename onto it), so two runs into one new folder cannot both succeed, and a
  replaced folder is checked again just before the swap;
* temporary folders carry the writing process's id; ones left by a process that no longer
  runs (killed with SIGKILL, a power cut) are removed the next time the same output is
  written, and an old output stranded between the two renames is put back;
* paths are checked before any work: ``-o .`` (the current folder or one of its parents), a
  file where a folder is expected, and a folder that cannot be written are clear errors.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ccosim.errors import CcosimError, OutputExistsError

__all__ = [
    "MARKER",
    "OutputPathError",
    "atomic_dir",
    "atomic_file",
    "check_writable",
    "write_bytes",
    "write_text",
]

MARKER = ".ccosim-output"
"""File in every folder ccosim writes: the mark that ``--force`` may replace the folder."""

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


def is_ccosim_output(folder: Path) -> bool:
    """True if ``folder`` was written by ccosim (its marker, or a ccosim manifest)."""
    if (folder / MARKER).is_file():
        return True
    for manifest_path in (folder / "manifest.json", folder / "data" / "manifest.json"):
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(manifest, dict) and "ccosim_version" in manifest:
            return True  # a report written before folders carried the marker
    return False


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


def check_writable(path: Path, force: bool, *, folder: bool = False) -> None:
    """Refuse an output ``path`` that exists unless ``force``, or that cannot be written.

    Called before any work, so a bad ``-o`` fails in a second, not after the simulation.

    Args:
        path: The output file or folder.
        force: Replacing an existing output is allowed.
        folder: ``path`` is an output folder: with ``force`` it is replaced only if ccosim
            wrote it or it is empty.

    Raises:
        OutputExistsError: ``path`` exists and ``force`` is false.
        OutputPathError: the path cannot be written, or is a folder ccosim did not write.
    """
    path = Path(path)
    _check_path(path)
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
    if not (is_ccosim_output(path) or _is_empty_folder(path)):
        raise OutputPathError(
            f"{path} is a folder ccosim did not write, and it is not empty; --force replaces "
            "only ccosim's own output folders. Choose another -o, or move that folder away"
        )


def _os_error(path: Path, exc: OSError) -> OutputPathError:
    return OutputPathError(f"{path}: cannot write ({exc.strerror or exc})")


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
    and two writers never share it. Missing parent folders are created.

    Raises:
        OutputExistsError: ``path`` exists and ``force`` is false.
        OutputPathError: ``path`` cannot be written.
    """
    path = Path(path)
    check_writable(path, force)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _clean_stale_files(path)
        fd, name = tempfile.mkstemp(
            prefix=f".{path.stem}.{os.getpid()}.", suffix=f".partial{path.suffix}", dir=path.parent
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


def _clean_stale(path: Path) -> None:
    """Remove temporary folders of ``path`` left by dead processes; restore a stranded output."""
    pattern = re.compile(rf"\.{re.escape(path.name)}\.(\d+)\.[^.]+\.(partial|old)")
    try:
        siblings = list(path.parent.iterdir())
    except OSError:
        return
    for sibling in siblings:
        match = pattern.fullmatch(sibling.name)
        if not match or _pid_alive(int(match.group(1))) or not sibling.is_dir():
            continue
        if not (is_ccosim_output(sibling) or _is_empty_folder(sibling)):
            continue  # not ours after all: leave it
        if match.group(2) == "old" and not (path.exists() or path.is_symlink()):
            os.replace(sibling, path)  # killed between the two renames: the old output is back
        else:
            shutil.rmtree(sibling, ignore_errors=True)


@contextlib.contextmanager
def atomic_dir(path: str | Path, *, force: bool = False) -> Iterator[Path]:
    """Build a folder under a temporary name; move it to ``path`` only if the block succeeds.

    Yields:
        The temporary folder to write into.

    Raises:
        OutputExistsError: ``path`` exists and ``force`` is false (checked before any work,
            and again, atomically, at the end).
        OutputPathError: ``path`` cannot be written, or is a folder ccosim did not write.
    """
    path = Path(path)
    check_writable(path, force, folder=True)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _clean_stale(path)
        check_writable(path, force, folder=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.{os.getpid()}.", dir=path.parent))
        tmp = tmp.rename(tmp.with_name(tmp.name + ".partial"))
        (tmp / MARKER).write_text("written by ccosim; --force may replace this folder\n")
    except OSError as exc:
        raise _os_error(path, exc) from None
    try:
        yield tmp
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes 0700
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
