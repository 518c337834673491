"""The one-pass reader of plain YAML files against the bounded composer it stands in for.

Most registry files hold no anchor, alias, tag or merge key; they are read straight from libyaml's events
without a node tree. Anything else goes to the bounded composer. Both must give the same data, the same
problems and the same line for every field, or a claim's error would point at another line than before."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DATA
from verifier.registry.yaml_io import _FORBIDDEN, MapLines, SeqLines, _parse_bounded, line_of, locate, parse_yaml

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(itertools.chain(DATA.rglob("*.yaml"), (ROOT / "claims").glob("*.yaml")))


def _parsed(path: Path) -> bool:
    """False for the files refused before either reader runs (not UTF-8, a control character)."""
    try:
        return _FORBIDDEN.search(path.read_text(encoding="utf-8")) is None
    except UnicodeDecodeError:
        return False


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every location inside the data, as a pydantic error would give it."""
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*prefix, index))
    return found


def _same(text: str) -> Any:
    """Assert both readers agree on `text`; the fast reader's tree (or the composer's when it fell back)."""
    data, tree, problems = parse_yaml(text, "t.yaml")
    bounded_data, bounded_tree, bounded_problems = _parse_bounded(text, "t.yaml")
    assert problems == bounded_problems
    assert repr(data) == repr(bounded_data)  # repr tells 1 from 1.0 from "1" from True
    assert line_of(tree, 7) == line_of(bounded_tree, 7)
    for loc in [*_paths(data), ("missing",), (0, "missing"), (10**6,), (0, "id", 3)]:
        assert locate(tree, loc, 7) == locate(bounded_tree, loc, 7), loc
    return tree


@pytest.mark.parametrize("path", [p for p in FILES if _parsed(p)], ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_and_test_yaml_file_reads_the_same(path: Path) -> None:
    _same(path.read_text(encoding="utf-8"))


def test_plain_claims_take_the_fast_reader() -> None:
    text = (ROOT / "claims" / "attention-qa-threads.yaml").read_text(encoding="utf-8")
    assert isinstance(_same(text), SeqLines)
    assert isinstance(_same("a: 1\nb: [x, 2.5, null, true, 2024-01-01]\n"), MapLines)


@pytest.mark.parametrize("text", [
    "- &a {x: 1}\n- *a\n",  # anchor and alias: shared, bounded by the composer
    "a: &s hello\nb: *s\n",
    "base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n",  # merge key
    "a: !!str 5\nb: !!binary aGVsbG8=\n",  # explicit tags
    "a: !!python/object:os.system x\n",  # refused by the constructor, with its message
    "a: 1\na: 2\n",  # duplicate key, reported with its line
    "1: a\n'1': b\n",  # the same key text twice: a duplicate for the composer
    "true: a\nTrue: b\n",  # non-string keys
    "? [a, b]\n: c\n",  # a sequence as a key
    "a: =\n",  # the `value` tag has no constructor
    "- 0x1F\n- 1_000\n- .inf\n- ~\n- yes\n- 2001-12-14t21:59:43.10-05:00\n- '007'\n- \"\"\n- -\n- ''\n",
    "n: 2026-13-45\n",  # an impossible date: the constructor's error, with the line
    "n: " + "9" * 5000 + "\n",  # a 5,000-digit integer
    "[a, b\n",  # syntax error
    "a: 1\n---\nb: 2\n",  # two documents
    "",  # empty stream
    "# only a comment\n",
    "just a scalar\n",
    "- " * 70 + "x\n",  # deeper than MAX_DEPTH
    "[" * 70 + "]" * 70 + "\n",
])
def test_both_readers_agree_on_odd_documents(text: str) -> None:
    _same(text)


@pytest.mark.parametrize(("text", "line"), [
    ("true: a\nTrue: b\n", 2),  # two spellings of one boolean
    ("1: a\n0x1: b\n", 2),  # two spellings of one integer
    ("n:\n  1: a\n  true: b\n", 3),  # 1 == True: one dict key
])
def test_two_spellings_of_one_key_are_a_duplicate_not_a_silent_overwrite(text: str, line: int) -> None:
    data, _, problems = parse_yaml(text, "k.yaml")
    assert data is None and [(p.line, "duplicate key" in p.message) for p in problems] == [(line, True)]
