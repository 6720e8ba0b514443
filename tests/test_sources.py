"""Users cite what they can look up: docs/sources.md keys, never internal file names."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Internal names users cannot look up: source files by number, the team's brief, figure
#: numbers without the work they belong to.
FORBIDDEN = re.compile(r"[Ss]eeds? 00\d|DOMAIN\.md|Figure 15\.")


def _user_facing_files() -> list[Path]:
    files = []
    for folder in ("ccosim", "docs", "scenarios"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".md", ".yaml", ".json", ".j2", ".txt"):
                files.append(path)
    return [*files, ROOT / "README.md"]


def test_no_internal_source_names_in_user_facing_text():
    hits = []
    for path in _user_facing_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if FORBIDDEN.search(line):
                hits.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]}")
    assert not hits, "cite docs/sources.md keys instead:\n" + "\n".join(hits)


def test_sources_md_lists_every_source_text_and_benchmark_row():
    sources = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    for key in ("mehta2016", "hubbard", "cco-basics", "mark-cco", "cco-vendor", "fader2007"):
        assert f"`{key}`" in sources, key
    rows = re.findall(r"^\| (\d+\.\d+) \|", (ROOT / "docs" / "benchmarks.md").read_text(), re.M)
    assert len(rows) > 50
    for row in rows:
        assert f"`benchmarks {row}`" in sources, f"benchmarks {row} is not in sources.md"
    # Every row says when (a year, or n.d.) and where (an address or a publication).
    table = [line for line in sources.splitlines() if line.startswith("| <a id=")]
    assert all(re.search(r"\| (\d{4}|n\.d\.|year not given[^|]*) \|", line) for line in table)


def test_citations_in_user_facing_text_are_keys_of_sources_md():
    sources = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    keys = set(re.findall(r"`([a-z][a-z0-9-]+)`", sources)) - {"benchmarks"}
    cited = set()
    for path in _user_facing_files():
        cited |= set(
            re.findall(r"\b(mehta2016|hubbard|cco-basics|mark-cco|cco-vendor)\b", path.read_text())
        )
    assert cited and cited <= keys
    for row in set(
        re.findall(r"benchmarks (\d+\.\d+)", " ".join(p.read_text() for p in _user_facing_files()))
    ):
        assert f"`benchmarks {row}`" in sources, f"benchmarks {row} is cited but not listed"
