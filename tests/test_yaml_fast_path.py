"""libyaml reads scenarios; the pure-Python loader must give exactly the same data and marks.

The fast path (``yaml_source._compose_fast``) is an optimisation only: a 10,000-unit org loads
several times faster. Anything it reads must come out as the Python composer would give it,
down to the line and column of every key (error messages point there).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ccosim.scenario import yaml_source
from ccosim.scenario.errors import ScenarioError

SCENARIOS = sorted(Path(__file__).resolve().parents[1].glob("scenarios/*.yaml"))


def read_both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    """(data, marks) from the fast path and from the Python loader."""
    results = []
    for fast in (True, False):
        marks = yaml_source.MarkTable()
        with monkeypatch.context() as patch:
            if not fast:
                patch.setattr(yaml_source, "_compose_fast", lambda _text: (None, None))
            data = yaml_source.parse_yaml(text, "x.yaml", marks)
        results.append((data, [(k[1], str(v)) for k, v in marks._marks.items()]))
    return results[0], results[1]


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_shipped_scenarios_read_the_same_through_libyaml(path, monkeypatch):
    fast, slow = read_both(path.read_text(encoding="utf-8"), monkeypatch)
    assert fast == slow


LEAVES = st.one_of(
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(max_size=8),
    st.booleans(),
    st.none(),
)
TREES = st.recursive(
    LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=25,
)


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")
@settings(max_examples=60, deadline=None)
@given(tree=TREES, flow=st.booleans())
def test_any_document_reads_the_same_through_libyaml(tree, flow):
    text = yaml.safe_dump({"doc": tree}, default_flow_style=flow, allow_unicode=True)
    with pytest.MonkeyPatch.context() as monkeypatch:
        fast, slow = read_both(text, monkeypatch)
    assert fast == slow


def test_a_file_nested_too_deep_is_refused_with_its_line_on_either_path():
    text = "a:\n" + "".join("  " * i + f"- k{i}:\n" for i in range(1, 80)) + "  " * 80 + "- 1\n"
    with pytest.raises(ScenarioError, match=r"nested deeper than 64 levels") as raised:
        yaml_source.parse_yaml(text, "deep.yaml", yaml_source.MarkTable())
    assert "deep.yaml:" in str(raised.value)
    assert "once aliases" not in str(raised.value)


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")
@pytest.mark.parametrize(
    "text",
    ["a: 1:30\n", "a: 0017\n", "a: '0017'\n", "a: [1, 2\n", "a: &x [*x]\n", "a: 1\na: 2\n"],
)
def test_plain_numbers_and_bad_documents_get_the_same_answer_on_either_path(text, monkeypatch):
    outcomes = []
    for fast in (True, False):
        with monkeypatch.context() as patch:
            if not fast:
                patch.setattr(yaml_source, "_compose_fast", lambda _text: (None, None))
            try:
                outcomes.append(yaml_source.parse_yaml(text, "x.yaml", yaml_source.MarkTable()))
            except ScenarioError as exc:
                outcomes.append(str(exc))
    assert outcomes[0] == outcomes[1]
