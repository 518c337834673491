"""Named works: how a name (`GPT-3`, `VAE`) leads to the paper that introduced it when no title carries it.

Two sources besides titles (the resolver tries titles first):
- abstracts that introduce the name: `we call this X`, `named X`, `X, a ...` opening a sentence or after
  `introduce`/`propose`/`present`, or the name in parentheses right after a phrase (`variational
  auto-encoder (VAE)`); the earliest such paper is taken as the origin;
- a shipped, curated table (`data/names.yaml`): every row gives the paper's arXiv id, the title the index
  record must have (the row is used only when the looked-up record has it) and where the mapping comes from;
  the evidence marks the answer as curated."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ruamel.yaml import YAML

from verifier.references.normalize import words
from verifier.results.evidence import CuratedName

TABLE = Path(__file__).with_name("data") / "names.yaml"


def _key(name: str) -> str:
    """Names compared without case, punctuation or a plural `s` (`AE-GANs` = `AE-GAN` = `ae gan`)."""
    joined = "".join(words(name))
    return joined[:-1] if len(joined) > 3 and joined.endswith("s") else joined


@dataclass(frozen=True)
class NameRow:
    name: str
    arxiv_id: str
    title: str
    source: str
    aliases: tuple[str, ...] = field(default_factory=tuple)

    def view(self) -> CuratedName:
        return CuratedName(name=self.name, arxiv_id=self.arxiv_id, title=self.title, source=self.source,
                           table="data/names.yaml (curated)")


class NameTable:
    def __init__(self, rows: list[NameRow]) -> None:
        self.rows = rows
        self._by_key = {_key(n): row for row in rows for n in (row.name, *row.aliases)}

    def find(self, name: str) -> NameRow | None:
        return self._by_key.get(_key(name))


def load(path: Path) -> NameTable:
    """Read a name table; a row without name, arxiv_id, title and source is an error naming the row."""
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or []
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a list of rows")
    rows = []
    for number, item in enumerate(data, start=1):
        missing = [k for k in ("name", "arxiv_id", "title", "source") if not (isinstance(item, dict) and item.get(k))]
        if missing:
            raise ValueError(f"{path}: row {number} lacks {', '.join(missing)}")
        rows.append(NameRow(str(item["name"]), str(item["arxiv_id"]), str(item["title"]), str(item["source"]),
                            tuple(str(a) for a in item.get("aliases") or ())))
    return NameTable(rows)


@lru_cache(maxsize=1)
def bundled() -> NameTable:
    return load(TABLE)


def _name_pattern(name: str) -> str:
    parts = [re.escape(p) for p in re.split(r"[\s\-·.]+", name.strip()) if p]
    return r"[\s\-·.]?".join(parts) + r"s?"


def introduces(abstract: str, name: str) -> bool:
    """Whether an abstract introduces the name, not merely uses it: `we call this model X`, `dubbed X`, `we
    introduce X`, `this paper presents X`, a sentence opening `X, a ...` or `X is a new ...`, or `(X)` right
    after the phrase `we propose` names (`we propose deep belief nets (DBNs)`, not `we propose methods of
    conditioning generative adversarial networks (GANs)`). A definition of someone else's acronym is not an
    introduction."""
    if not abstract or not name.strip():
        return False
    n = _name_pattern(name)
    quote = "[\"'“‘]?"
    patterns = (
        rf"\b(?:[Ww]e\s+(?:call|name|dub|term)|called|named|dubbed|termed|coined)\s+(?:(?:it|this|them|our|the)\s+"
        rf"(?:\w+\s+){{0,3}})?{quote}{n}\b",
        rf"\b(?:[Ww]e|[Pp]aper|[Ww]ork|[Aa]rticle)\s+(?:introduces?|proposes?|presents?|describes?|develops?)\s+(?:\w+\s+){{0,3}}?"
        rf"{quote}{n}\b",
        rf"(?:^|[.!?]\s+){quote}{n}{quote}\s*(?:,\s+(?:a|an)\b|\s+is\s+a\s+(?:new|novel)\b)",
        rf"\b[Ww]e\s+(?:introduce|propose|present|develop)\s+(?:(?:a|an|the)\s+)?(?:(?!(?:of|for|to|with|on|in|and|"
        rf"by|from)\b)[\w\-]+\s+){{1,6}}\(\s*{n}\s*\)",
    )
    return any(re.search(p, abstract.strip()) for p in patterns)
