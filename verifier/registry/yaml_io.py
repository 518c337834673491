"""YAML reading that keeps line numbers, so every problem can name its file, line and field; bounded, so a
hostile file is refused quickly instead of exhausting memory or crashing the process.

Reading uses libyaml through PyYAML (`CSafeLoader`) for its parser: it reads a 10,000-claim registry in a
fraction of a second, and its events carry the line of every key. The node tree is composed here, without
recursion, rather than by libyaml's composer, because that composer recurses once per nesting level (30,000
nested `[` overflow the C stack: a segfault) and expands nothing but lets aliases share nodes, so a
"billion laughs" alias bomb composes in a millisecond and then grows without bound wherever the data is
walked (hashing, JSON, printing). Composing ourselves lets us stop at the first event past a nesting depth
or an alias-expansion budget, before libyaml's scanner reaches depths where it becomes quadratic.

Most files hold no anchor, alias, explicit tag or merge key: for them the plain data and a small line table
are built straight from the parser's events in one pass (`_PlainReader`), with the same depth and size
budgets, without the node tree and PyYAML's constructor (profiling 10,000 claims, libyaml's own parsing
was a fifth of the YAML time; composing nodes and constructing data from them, the rest). The first event
that pass does not handle plainly (an alias, an anchor, a tag, a duplicate or non-string key, any error)
sends the file to the bounded composer below, which decides it exactly as before, so every error message
and every limit is the composer's.

ruamel.yaml's round-trip mode is used only to write (`verifier add`), where keeping the user's comments
matters more than speed."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from verifier.errors import Problem
from verifier.registry.files import MAX_YAML_BYTES, Unreadable, read_text

try:
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # PyYAML built without libyaml: same behaviour, slower
    _BaseLoader = yaml.SafeLoader

MAX_DEPTH = 64  # a claim is 4 levels deep; params a few more
MAX_ALIAS_NODES = 100_000  # nodes that aliases may add when expanded (a billion laughs adds 10^9)
# Scalar characters a whole document may stand for once every alias is expanded: the file size cap, so a file
# without aliases never reaches it (a scalar's value is never longer than its source text) and 59,049 aliases
# of one 20 KB string (1.2 GB, under the node cap) are refused before hashing or printing expands them.
MAX_EXPANDED_CHARS = MAX_YAML_BYTES
_MERGE_TAG = "tag:yaml.org,2002:merge"
_NON_SPECIFIC = (None, "!")  # tags the resolver must fill in
_ENDS = (SequenceEndEvent, MappingEndEvent)
_STARTS = (SequenceStartEvent, MappingStartEvent)
# Characters YAML forbids anywhere (libyaml would say only "control characters are not allowed").
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


class LimitError(yaml.MarkedYAMLError):
    """A document deeper or with larger alias expansions than any registry needs."""


class _Open:
    """A collection being composed: its node, how many nodes and scalar characters came before it, and a key
    awaiting its value."""

    __slots__ = ("anchored", "before", "chars_before", "key", "node")

    def __init__(self, node: yaml.Node, before: int, chars_before: int, anchored: bool) -> None:
        self.node = node
        self.before = before
        self.chars_before = chars_before
        self.anchored = anchored
        self.key: yaml.Node | None = None


class _Composition:
    """The state of composing one document from parser events, with the depth and alias budgets."""

    def __init__(self, resolve: Any) -> None:
        self.resolve = resolve
        self.anchors: dict[str, yaml.Node] = {}
        # id(anchored node) -> its expanded (nodes, scalar characters), once complete
        self.sizes: dict[int, tuple[int, int]] = {}
        self.stack: list[_Open] = []
        self.nodes = 0  # nodes so far, each alias counted as the whole node it repeats
        self.via_aliases = 0
        self.chars = 0  # scalar characters so far, each alias counted at the full weight of what it repeats

    def alias(self, event: Any) -> yaml.Node:
        node = self.anchors.get(event.anchor)
        if node is None:
            raise yaml.composer.ComposerError(None, None, f"found undefined alias {event.anchor!r}", event.start_mark)
        size = self.sizes.get(id(node))
        if size is None:
            raise LimitError(None, None, f"alias *{event.anchor} repeats a node that contains it "
                             "(a recursive structure)", event.start_mark)
        nodes, chars = size
        self.nodes += nodes
        self.via_aliases += nodes
        self.chars += chars
        if self.via_aliases > MAX_ALIAS_NODES:
            raise LimitError(None, None, f"aliases expand to more than {MAX_ALIAS_NODES:,} nodes "
                             f"(an alias bomb?); at *{event.anchor}", event.start_mark)
        self.check_chars(event, f"at *{event.anchor}")
        return node

    def check_chars(self, event: Any, where: str) -> None:
        if self.chars > MAX_EXPANDED_CHARS:
            raise LimitError(None, None, f"aliases expand to more than {MAX_EXPANDED_CHARS:,} characters of text "
                             f"(the {MAX_EXPANDED_CHARS // 2**20} MB file size cap; an alias bomb?); {where}",
                             event.start_mark)

    def scalar(self, event: Any) -> yaml.Node:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolve(yaml.ScalarNode, event.value, event.implicit)
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
        self.nodes += 1
        self.chars += len(event.value)
        if event.anchor is not None:
            self._anchor(event, node)
            self.sizes[id(node)] = (1, len(event.value))
        return node

    def start(self, event: Any) -> None:
        if type(event) not in _STARTS:  # pragma: no cover - libyaml emits nothing else inside a document
            raise yaml.composer.ComposerError(None, None, f"unexpected {event!r}", event.start_mark)
        if len(self.stack) >= MAX_DEPTH:
            raise LimitError(None, None, f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
        kind = yaml.MappingNode if isinstance(event, MappingStartEvent) else yaml.SequenceNode
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolve(kind, None, event.implicit)
        node = kind(tag, [], event.start_mark, None, flow_style=event.flow_style)
        if event.anchor is not None:
            self._anchor(event, node)
        self.attach(node)
        self.stack.append(_Open(node, self.nodes, self.chars, event.anchor is not None))
        self.nodes += 1

    def end(self, event: Any) -> yaml.Node | None:
        """Close the innermost collection; the root when the document is complete."""
        done = self.stack.pop()
        done.node.end_mark = event.end_mark
        if done.anchored:
            self.sizes[id(done.node)] = (self.nodes - done.before, self.chars - done.chars_before)
        if self.stack:
            return None
        self.check_chars(event, "at the end of the document")
        return done.node

    def attach(self, node: yaml.Node) -> None:
        if not self.stack:
            return
        parent = self.stack[-1]
        if isinstance(parent.node, yaml.SequenceNode):
            parent.node.value.append(node)
        elif parent.key is not None:
            parent.node.value.append((parent.key, node))
            parent.key = None
        else:
            parent.key = node

    def _anchor(self, event: Any, node: yaml.Node) -> None:
        first = self.anchors.get(event.anchor)
        if first is not None:
            raise yaml.composer.ComposerError(f"found duplicate anchor {event.anchor!r}; first occurrence",
                                              first.start_mark, "second occurrence", event.start_mark)
        self.anchors[event.anchor] = node


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader with a bounded, non-recursive composer that records duplicate keys instead of silently
    keeping the last one."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[int, str]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        # A duplicate is the same key text twice (`1` and '1') or two texts that build the same key (`true` and
        # `True`, `1` and `0x1`, `1` and `true`): the dict keeps only the last value, so the first is lost.
        seen: set[Any] = set()
        built: set[Any] = set()
        for key_node, _ in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else id(key_node)
            duplicate = key in seen
            seen.add(key)
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != _MERGE_TAG:
                value = self.construct_object(key_node, deep=True)
                try:
                    duplicate = duplicate or value in built
                    built.add(value)
                except TypeError:  # unhashable (`!!binary` is bytes, hashable; a `!!set` key is not): refused below
                    pass
            if duplicate:
                self.duplicates.append((key_node.start_mark.line + 1, str(key)))
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]

    def get_single_node(self) -> yaml.Node | None:
        self.get_event()  # StreamStartEvent
        node = None
        if not self.check_event(StreamEndEvent):
            self.get_event()  # DocumentStartEvent
            node = self._compose()
            self.get_event()  # DocumentEndEvent
        if not self.check_event(StreamEndEvent):
            event = self.get_event()
            raise yaml.composer.ComposerError(
                "expected a single document in the stream", node.start_mark if node is not None else None,
                "but found another document", event.start_mark)
        self.get_event()  # StreamEndEvent
        return node

    def _compose(self) -> yaml.Node:
        """One document's node tree, without recursion; each alias is charged the size of what it repeats,
        in nodes and in scalar characters.

        Scalars, nine events in ten, are handled inline with their implicit tags memoised (the same keys
        recur in every claim): this loop keeps pace with libyaml's own composer."""
        state = _Composition(self.resolve)
        get_event = self.get_event
        resolve = self.resolve
        tags: dict[tuple[str, Any], str] = {}
        scalar_node = yaml.ScalarNode
        node: yaml.Node
        while True:
            event = get_event()
            kind = type(event)
            if kind is ScalarEvent and event.anchor is None:
                tag = event.tag
                if tag in _NON_SPECIFIC:
                    memo = (event.value, event.implicit)
                    tag = tags.get(memo)
                    if tag is None:
                        tag = tags[memo] = resolve(scalar_node, event.value, event.implicit)
                node = scalar_node(tag, event.value, event.start_mark, event.end_mark, style=event.style)
                state.nodes += 1
                state.chars += len(event.value)
            elif kind is ScalarEvent:
                node = state.scalar(event)
            elif kind in _ENDS:
                root = state.end(event)
                if root is not None:
                    return root
                continue
            elif kind is AliasEvent:
                node = state.alias(event)
            else:
                state.start(event)
                continue
            if not state.stack:
                return node
            state.attach(node)


class _Fallback(Exception):
    """The fast pass met something only the bounded composer handles (or reports) exactly."""


class MapLines:
    """Where a mapping starts and, per key, the key's line and the value's lines (an int for a scalar)."""

    __slots__ = ("keys", "line")

    def __init__(self, line: int) -> None:
        self.line = line
        self.keys: dict[str, tuple[int, Any]] = {}


class SeqLines:
    """Where a sequence starts and each item's lines (an int for a scalar)."""

    __slots__ = ("items", "line")

    def __init__(self, line: int) -> None:
        self.line = line
        self.items: list[Any] = []


_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "timestamp"))
_STR_TAG = "tag:yaml.org,2002:str"


class _SeqFrame:
    """An open sequence of the fast pass: its items and their lines."""

    __slots__ = ("data", "lines")

    def __init__(self, line: int) -> None:
        self.data: list[Any] = []
        self.lines = SeqLines(line)

    def add(self, item: Any, lines: Any) -> None:
        self.data.append(item)
        self.lines.items.append(lines)


class _MapFrame:
    """An open mapping of the fast pass: its pairs, their lines, and a key awaiting its value."""

    __slots__ = ("data", "key", "key_line", "lines")

    def __init__(self, line: int) -> None:
        self.data: dict[str, Any] = {}
        self.lines = MapLines(line)
        self.key: str | None = None
        self.key_line = 0

    def add(self, item: Any, lines: Any) -> None:
        key = self.key
        if key is None:
            if type(item) is not str or item in self.data:  # the composer reports duplicates, words odd keys
                raise _Fallback
            self.key, self.key_line = item, lines
            return
        self.data[key] = item
        self.lines.keys[key] = (self.key_line, lines)
        self.key = None


class _PlainReader:
    """One pass over the parser's events building plain data and line tables, without recursion.

    The data equals what the composer and SafeConstructor build: the same resolver decides each plain
    scalar's tag and the same constructor builds every non-string one (memoised: they are immutable).
    _Fallback (or the parser's own error) at anything else: an anchor, an alias, an explicit tag, a merge
    key, a duplicate or non-string key, more than MAX_DEPTH levels, more than MAX_EXPANDED_CHARS."""

    def __init__(self, loader: _Loader) -> None:
        self.loader = loader
        self.scalars: dict[tuple[str, Any], Any] = {}  # (value, implicit) -> constructed value
        self.resolvable = loader.yaml_implicit_resolvers  # first characters some implicit resolver may claim
        # A resolver for any first character, or by path, would have to be asked about every plain scalar.
        self.ask_always = None in self.resolvable or bool(loader.yaml_path_resolvers)

    def document(self) -> tuple[Any, Any]:
        """(data, line table) of a one-document stream; (None, None) for an empty one."""
        loader = self.loader
        get_event = loader.get_event
        get_event()  # StreamStartEvent
        if loader.check_event(StreamEndEvent):
            return None, None
        get_event()  # DocumentStartEvent
        stack: list[_SeqFrame | _MapFrame] = []
        chars = 0
        resolvable, ask_always = self.resolvable, self.ask_always
        while True:
            event = get_event()
            kind = type(event)
            if kind is ScalarEvent and event.anchor is None and event.tag in _NON_SPECIFIC:
                item = event.value
                chars += len(item)
                if event.implicit[0] and (ask_always or item[:1] in resolvable):
                    item = self.scalar(event)
                lines = event.start_mark.line + 1
            elif kind in _ENDS:
                frame = stack.pop()
                item, lines = frame.data, frame.lines
                if not stack:
                    break
                add = stack[-1].add
            elif kind not in _STARTS or event.anchor is not None or event.tag not in _NON_SPECIFIC or \
                    len(stack) >= MAX_DEPTH:  # an alias, an anchor, a tag, too deep: the composer decides
                raise _Fallback
            else:
                stack.append((_MapFrame if kind is MappingStartEvent else _SeqFrame)(event.start_mark.line + 1))
                add = stack[-1].add
                continue
            if not stack:
                break
            add(item, lines)
        if chars > MAX_EXPANDED_CHARS or type(get_event()) is not DocumentEndEvent or \
                not loader.check_event(StreamEndEvent):
            raise _Fallback
        return item, lines

    def scalar(self, event: Any) -> Any:
        """A plain scalar an implicit resolver may claim (a quoted one, or one starting with a letter no resolver
        starts with, is a string without asking)."""
        value = event.value
        memo = (value, event.implicit)
        if memo in self.scalars:
            return self.scalars[memo]
        tag = self.loader.resolve(yaml.ScalarNode, value, event.implicit)
        if tag == _STR_TAG:
            item = value
        elif tag in _PLAIN_TAGS:
            node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, style=event.style)
            item = self.loader.yaml_constructors[tag](self.loader, node)
        else:  # a merge key, `=`, `!`: the composer and constructor decide
            raise _Fallback
        self.scalars[memo] = item
        return item


def _with_line(construct: Any) -> Any:
    """A scalar constructor whose ValueError (a 5,000-digit integer, the date 2026-13-45) names the line."""

    def wrapped(loader: Any, node: yaml.ScalarNode) -> Any:
        try:
            return construct(loader, node)
        except (ValueError, TypeError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"invalid {node.tag.rsplit(':', 1)[-1]} value: {exc}", node.start_mark) from None

    return wrapped


for _tag in ("int", "float", "timestamp"):
    _full_tag = f"tag:yaml.org,2002:{_tag}"
    _Loader.add_constructor(_full_tag, _with_line(_Loader.yaml_constructors[_full_tag]))


def round_trip_yaml() -> YAML:
    """The YAML instance used to write back without losing comments or re-wrapping lines."""
    writer = YAML(typ="rt")
    writer.allow_duplicate_keys = False
    writer.preserve_quotes = True
    writer.width = 4096  # never re-wrap what the user wrote
    writer.indent(mapping=2, sequence=2, offset=0)
    return writer


def read_yaml(path: Path, shown: str, root: Path) -> tuple[Any, Any, list[Problem]]:
    """Parse one file inside the registry folder `root`: (plain data, node tree for line look-ups, problems)."""
    try:
        text = read_text(path, root, MAX_YAML_BYTES)
    except Unreadable as exc:
        return None, None, [Problem(shown, exc.line, None, f"cannot read: {exc}")]
    return parse_yaml(text, shown)


def parse_yaml(text: str, shown: str) -> tuple[Any, Any, list[Problem]]:
    forbidden = _FORBIDDEN.search(text)
    if forbidden is not None:
        line = text.count("\n", 0, forbidden.start()) + 1
        column = forbidden.start() - (text.rfind("\n", 0, forbidden.start()) + 1) + 1
        return None, None, [Problem(shown, line, None, f"invalid YAML: control character "
                                    f"U+{ord(forbidden.group()):04X} at column {column} is not allowed")]
    loader = _Loader(text)
    try:
        return (*_PlainReader(loader).document(), [])
    except (_Fallback, yaml.YAMLError, ValueError, TypeError, OverflowError):
        pass  # the bounded composer below reads it again and decides (and words any error) exactly as before
    finally:
        loader.dispose()
    return _parse_bounded(text, shown)


def _parse_bounded(text: str, shown: str) -> tuple[Any, Any, list[Problem]]:
    """The bounded composer and SafeConstructor: every file the fast pass does not read plainly."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        return None, None, [_syntax_problem(exc, shown)]
    except yaml.YAMLError as exc:
        return None, None, [Problem(shown, None, None, f"invalid YAML: {exc}")]
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. a date like 2026-13-45
        return None, None, [Problem(shown, None, None, f"invalid YAML value: {exc}")]
    finally:
        loader.dispose()
    problems = [Problem(shown, line, None, f"invalid YAML: duplicate key {key!r}") for line, key in loader.duplicates]
    return (None, None, problems) if problems else (data, node, [])


def _syntax_problem(exc: yaml.MarkedYAMLError, shown: str) -> Problem:
    # For an unclosed string or bracket, where it started is more useful than where the parser gave up.
    unclosed = "end of stream" in str(exc.problem) or "flow" in str(exc.context)
    mark = (exc.context_mark or exc.problem_mark) if unclosed else (exc.problem_mark or exc.context_mark)
    line = mark.line + 1 if mark is not None else None
    what = str(exc.problem or exc.context or "syntax error")
    if exc.context and exc.problem_mark is not None and exc.problem:
        what += f" at line {exc.problem_mark.line + 1} ({exc.context})"
    return Problem(shown, line, None, f"invalid YAML: {what}")


def line_of(node: Any, default: int | None = None) -> int | None:
    """1-based line where a node starts: a composer's node, a line table, or a scalar's line."""
    if isinstance(node, MapLines | SeqLines):
        return node.line
    if type(node) is int:
        return node
    return node.start_mark.line + 1 if isinstance(node, yaml.Node) else default


def locate(node: Any, loc: Sequence[int | str], default: int | None) -> tuple[int | None, str]:
    """Follow a pydantic error location through the line table or node tree: (line, dotted field name)."""
    line = line_of(node, default)
    names: list[str] = []
    current = node
    for part in loc:
        child = None
        if isinstance(current, MapLines):
            found = current.keys.get(str(part))
            if found is not None:
                line, child = found
        elif isinstance(current, SeqLines) and isinstance(part, int) and 0 <= part < len(current.items):
            child = current.items[part]
            line = line_of(child, line)
        elif isinstance(current, yaml.MappingNode):
            for key_node, value_node in current.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(part):
                    line, child = key_node.start_mark.line + 1, value_node
                    break
        elif isinstance(current, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(current.value):
            child = current.value[part]
            line = child.start_mark.line + 1
        names.append(f"[{part}]" if isinstance(part, int) else str(part))
        current = child  # None for a missing or extra field: keep the line of the mapping
    return line, ".".join(names).replace(".[", "[")


def locate_in_item(tree: Any, index: int, loc: Sequence[int | str], default: int | None) -> tuple[int | None, str]:
    """Like `locate` for a field of the index-th list item; the field name leaves out the index."""
    line, field = locate(tree, (index, *loc), default)
    prefix = f"[{index}]"
    field = field[len(prefix):].lstrip(".") if field.startswith(prefix) else field
    return line, field
