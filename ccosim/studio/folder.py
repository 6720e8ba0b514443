"""The one folder the studio may read and write: every path is checked against it.

A name from the browser is a plain file name (no folder part, no ``..``, no hidden file); a
path from the command line must resolve (symbolic links followed) inside the folder. New
files never replace an existing one, so the studio cannot overwrite an input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ccosim.errors import CcosimError
from ccosim.output import write_text

__all__ = ["Folder", "FolderError"]

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.()+-]{0,120}$")


class FolderError(CcosimError):
    """A path outside the studio's folder, or a name that cannot be used there."""


@dataclass(frozen=True)
class Folder:
    """The folder the user chose (``ccosim studio --dir``)."""

    root: Path

    @classmethod
    def at(cls, path: str | Path) -> Folder:
        """The folder at ``path`` (resolved).

        Raises:
            FolderError: ``path`` is not an existing folder.
        """
        root = Path(path).resolve()
        if not root.is_dir():
            raise FolderError(f"--dir {path}: no such folder")
        return cls(root)

    def contains(self, path: str | Path) -> bool:
        """Whether ``path`` (resolved, links followed) lies inside the folder."""
        resolved = Path(path).resolve()
        return resolved == self.root or self.root in resolved.parents

    def existing(self, path: str | Path) -> Path:
        """An existing file inside the folder, resolved.

        Raises:
            FolderError: outside the folder, or no such file.
        """
        resolved = Path(path).resolve()
        if not self.contains(resolved):
            raise FolderError(
                f"{path} is outside the studio's folder {self.root}; open the studio with "
                "--dir on a folder that holds it"
            )
        if not resolved.is_file():
            raise FolderError(f"{path}: no such file")
        return resolved

    def _name(self, name: str) -> str:
        name = name.strip()
        if not _NAME.match(name) or ".." in name:
            raise FolderError(
                f"{name!r} is not a file name the studio writes: letters, digits, spaces and "
                "_ . ( ) + -, no folders"
            )
        return name

    def new_file(self, name: str, suffixes: tuple[str, ...]) -> Path:
        """A path for a new file called ``name`` in the folder (first suffix added if none).

        Raises:
            FolderError: a bad name, or a file of that name exists already.
        """
        name = self._name(name)
        if not name.lower().endswith(suffixes):
            name += suffixes[0]
        path = self.root / name
        if path.exists():
            raise FolderError(f"{name} exists already in {self.root}; choose another name")
        return path

    def new_folder(self, name: str) -> Path:
        """A path for a new folder called ``name`` (it must not exist yet)."""
        name = self._name(name)
        path = self.root / name
        if path.exists():
            raise FolderError(f"{name} exists already in {self.root}; choose another name")
        return path

    def write(self, path: Path, text: str) -> Path:
        """Write ``text`` to ``path`` (inside the folder) atomically, never replacing a file."""
        if not self.contains(path):
            raise FolderError(f"{path} is outside the studio's folder {self.root}")
        return write_text(path, text)
