"""Property-based: arbitrary input never escapes the loader as anything but ScenarioError.

A user pasting a broken file must get a message, never a traceback from YAML, pydantic or
Python's recursion limit.
"""

from __future__ import annotations

import contextlib

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccosim.scenario import Scenario, ScenarioError, load, load_text
from tests.conftest import MINIMAL

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def accepts_or_explains(text: str) -> None:
    try:
        result = load_text(text, "fuzz.yaml")
    except ScenarioError as exc:
        assert exc.problems, "a ScenarioError must carry at least one problem"
        assert all(str(p).startswith("fuzz.yaml") for p in exc.problems)
    else:
        assert isinstance(result, Scenario)


@FAST
@given(st.text(max_size=400))
def test_arbitrary_text(text):
    accepts_or_explains(text)


yaml_chars = st.sampled_from([*list("{}[]:-,&*!|>'\"#%@` \n\t?<="), "a", "1", "\x00", "\x1b"])


@FAST
@given(st.lists(yaml_chars, max_size=200).map("".join))
def test_yaml_punctuation_soup(text):
    accepts_or_explains(text)


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20)
)
trees = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=12), children, max_size=4),
    ),
    max_leaves=25,
)


@FAST
@given(trees)
def test_arbitrary_yaml_documents(tree):
    accepts_or_explains(yaml.safe_dump(tree))


@FAST
@given(st.sampled_from(MINIMAL.splitlines()), st.integers(0, 40), st.text(max_size=6))
def test_one_line_of_a_valid_scenario_mangled(line, position, junk):
    mangled = line[:position] + junk + line[position:]
    accepts_or_explains(MINIMAL.replace(line, mangled, 1))


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_in_a_file(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "bytes.yaml"
    path.write_bytes(data)
    with contextlib.suppress(ScenarioError):
        load(path)
