"""Writing outputs safely: never overwrite without ``force``, never leave a half-written file.

Files are written to a temporary sibling and renamed into place (atomic on POSIX); folders
are built under a temporary sibling name and renamed at the end, so an interrupted run leaves
either the old output or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ccosim.errors import OutputExistsError

__all__ = ["atomic_dir", "check_writable", "write_bytes", "write_text"]

_UMASK: int | None = None


def _umask() -> int:
    """The process umask (read once; temporary files ignore it, final outputs honour it)."""
    global _UMASK
    if _UMASK is None:
        _UMASK = os.umask(0o022)
        os.umask(_UMASK)
    return _UMASK


def check_writable(path: Path, force: bool) -> None:
    """Refuse an existing ``path`` unless ``force``.

    Raises:
        OutputExistsError: ``path`` exists and ``force`` is false.
    """
    if path.exists() and not force:
        raise OutputExistsError(f"{path} already exists; pass --force to replace it")


def write_bytes(path: str | Path, data: bytes, *, force: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically; see :func:`check_writable`."""
    path = Path(path)
    check_writable(path, force)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are for sharing
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return path


def write_text(path: str | Path, text: str, *, force: bool = False) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically; see :func:`check_writable`."""
    return write_bytes(path, text.encode("utf-8"), force=force)


@contextlib.contextmanager
def atomic_dir(path: str | Path, *, force: bool = False) -> Iterator[Path]:
    """Build a folder under a temporary name; move it to ``path`` only if the block succeeds.

    Yields:
        The temporary folder to write into.

    Raises:
        OutputExistsError: ``path`` exists and ``force`` is false (checked before any work).
    """
    path = Path(path)
    check_writable(path, force)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent))
    try:
        yield tmp
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes 0700
        if path.exists():
            old = path.with_name(f".{path.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(path, old)
            os.replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
