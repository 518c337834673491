"""Api candidates: every library name a document's code calls and every library function its prose names.

In code, import lines give the aliases (`import numpy as np`, `import torch.nn as nn`, `from tensorflow
import keras`, `from tensorflow.keras import layers`); each `alias.attr...` use is resolved to its full
dotted name (`nn.MultiheadAttention` -> `torch.nn.MultiheadAttention`), with its first keyword argument and
the comment that says what the line does (the comment above it, or after it). Code pasted without
indentation is read line by line, so no parser is needed. In prose, dotted names rooted in a known
library (`scipy.misc.derivative`), possessive forms (`scipy's optimize.fmin_ncg`) and "X as the library
for ..." are proposed; a non-Python tool's function (`MATLAB's fmin_unc`) is a citation of its documentation.
Methods of library objects (`model.add`, `loss.backward()`) are resolved through the types api_objects
learns from assignments; libraries the prose describes, lists or uses come from api_prose.
One candidate per distinct full name, at its first use; the reason lists the other lines."""

from __future__ import annotations

import difflib
import re
import sys

from verifier.extraction import api_prose
from verifier.extraction.api_objects import Objects
from verifier.extraction.candidates import Candidate
from verifier.extraction.text import Document

#: Import names whose distribution on PyPI has another name.
DISTRIBUTIONS = {"sklearn": "scikit-learn", "cv2": "opencv-python", "PIL": "pillow", "yaml": "pyyaml",
                 "skimage": "scikit-image"}
IMPORT_NAMES = {dist: module for module, dist in DISTRIBUTIONS.items()}
IMPORTED = "library imported in code"
#: Conventional aliases, used in prose where no import line says them.
CONVENTIONAL = {"np": "numpy", "tf": "tensorflow", "pd": "pandas", "plt": "matplotlib.pyplot", "nn": "torch.nn",
                "F": "torch.nn.functional", "sp": "scipy"}
#: Submodules named without their package in prose ("or optimize.fmin_bfgs"), where the name is unambiguous.
SUBMODULES = {"optimize": "scipy.optimize", "integrate": "scipy.integrate", "interpolate": "scipy.interpolate",
              "special": "scipy.special", "optim": "torch.optim"}
#: Keras names that slides and chats use bare, without an import line (layers, models; losses by name).
KERAS_BARE = {"Sequential": "keras.Sequential", "Model": "keras.Model",
              **{name: f"keras.layers.{name}" for name in (
                  "Dense", "LSTM", "GRU", "SimpleRNN", "Conv1D", "Conv2D", "Dropout", "Embedding", "Flatten",
                  "MaxPooling1D", "MaxPooling2D", "BatchNormalization", "LayerNormalization", "Attention",
                  "MultiHeadAttention", "TimeDistributed", "Bidirectional")}}
#: Keras loss identifiers (Keras 2 and 3 spellings); a snake_case word close to one is a loss named in prose.
KERAS_LOSSES = ("mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
                "mean_squared_logarithmic_error", "binary_crossentropy", "categorical_crossentropy",
                "sparse_categorical_crossentropy", "kl_divergence", "kullback_leibler_divergence", "hinge",
                "squared_hinge", "categorical_hinge", "poisson", "cosine_similarity", "huber", "log_cosh")
SNAKE = re.compile(r"(?<![\w.])([A-Za-z]+(?:_[A-Za-z]+)+)(?![\w.(])")
LIBRARIES = frozenset({"numpy", "scipy", "torch", "tensorflow", "keras", "sklearn", "pandas", "matplotlib",
                       "jax", "torchquad", "statsmodels", "sympy", "networkx", "transformers"})
NON_PYTHON = frozenset({"MATLAB", "Matlab", "Octave", "Mathematica", "Maple", "R", "Julia"})

IMPORT = re.compile(r"^\s*import\s+([\w.]+)(?:\s+as\s+(\w+))?\s*$")
FROM_IMPORT = re.compile(r"^\s*from\s+([\w.]+)\s+import\s+([\w, ]+?)\s*$")
USE = re.compile(r"(?<![\w.])([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*)*)(\s*\()?")
KEYWORD = re.compile(r"\s*([A-Za-z_]\w*)\s*=(?!=)")
COMMENT = re.compile(r"^\s*#\s*(.+?)\s*$")
TRAILING = re.compile(r"\s#\s*(.+?)\s*$")
_ROOTS = "|".join(sorted(LIBRARIES | {"np", "tf"}))
_DOTTED_CUE = re.compile(rf"(?:{_ROOTS})\.")
PROSE_DOTTED = re.compile(rf"(?<![\w.])((?:{_ROOTS})(?:\.[A-Za-z_]\w*)+)")
POSSESSIVE = re.compile(r"\b([A-Za-z][\w]*)['’]s\s+([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)")
_SUBS = "|".join(SUBMODULES)
SUBMODULE_USE = re.compile(rf"(?<![\w.])({_SUBS})((?:\.[A-Za-z_]\w*)+)")
AS_LIBRARY = re.compile(r"(?<![\w.])([a-z][\w]*)\s+as the (?:library|package|framework) for\b")


def distribution(module: str) -> str:
    root = module.split(".", maxsplit=1)[0]
    return DISTRIBUTIONS.get(root, root)


def first_keyword(call: str) -> str | None:
    """The first keyword argument of the call whose "(" starts `call`, at its own nesting depth."""
    depth, start = 0, 1
    for index, char in enumerate(call):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0:
                return _keyword(call[start:index])
        elif char == "," and depth == 1:
            found = _keyword(call[start:index])
            if found:
                return found
            start = index + 1
    return None


def _keyword(argument: str) -> str | None:
    match = KEYWORD.match(argument)
    return match.group(1) if match else None


def _aliases(lines: list[str]) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for line in lines:
        plain = IMPORT.match(line)
        if plain:
            module, alias = plain.groups()
            aliases[alias or module.split(".")[0]] = module if alias else module.split(".")[0]
            continue
        frm = FROM_IMPORT.match(line)
        if frm:
            for name in (n.strip() for n in frm.group(2).split(",")):
                if name:
                    aliases[name] = f"{frm.group(1)}.{name}"
    return aliases


def _imports(doc: Document, start: int, lines: list[str], seen: dict[str, Candidate]) -> None:
    """An import line asserts that its modules exist: one candidate per imported third-party module."""
    offset = start
    for line in lines:
        here = offset
        offset += len(line) + 1
        plain, frm = IMPORT.match(line), FROM_IMPORT.match(line)
        modules = [plain.group(1)] if plain else [f"{frm.group(1)}.{n.strip()}" for n in frm.group(2).split(",")
                                                   if n.strip()] if frm else []
        for module in modules:
            if module.split(".")[0] in sys.stdlib_module_names or module in seen:
                if module in seen:
                    seen[module].places.append(doc.line(here))
                continue
            quote = line.strip()
            seen[module] = Candidate("api", quote, here + line.index(quote), f"{module} exists (imported).",
                                     IMPORTED, 0.7,
                                     {"package": distribution(module), "name": module}, places=[doc.line(here)])


def _what_it_does(lines: list[str], index: int) -> str | None:
    trailing = TRAILING.search(lines[index])
    if trailing:
        return trailing.group(1)
    above = COMMENT.match(lines[index - 1]) if index > 0 else None
    return above.group(1) if above else None


def _code_candidates(doc: Document, seen: dict[str, Candidate]) -> None:
    """Imports of earlier blocks hold in later ones (a chat splits one program over several blocks); the
    conventional aliases (np, tf, nn) and Keras' bare layer names are understood without an import."""
    aliases: dict[str, str] = {**CONVENTIONAL, **KERAS_BARE}
    objects = Objects()
    for region in doc.code_regions():
        lines = region.text.split("\n")
        aliases.update(_aliases(lines))
        _imports(doc, region.start, lines, seen)
        offset = region.start
        for index, line in enumerate(lines):
            start_of_line = offset
            offset += len(line) + 1
            if IMPORT.match(line) or FROM_IMPORT.match(line) or COMMENT.match(line):
                continue
            code = TRAILING.sub("", line)
            for use in USE.finditer(code):
                root, rest = use.group(1), use.group(2)
                method = objects.attribute(root, rest) if root not in aliases else None
                bare = not rest and not use.group(3) and root not in KERAS_BARE  # `np` alone is no use
                if method is None and (root not in aliases or bare):
                    continue
                full = method or aliases[root] + rest
                if full.split(".", maxsplit=1)[0] in sys.stdlib_module_names:
                    continue  # the standard library is not what AI answers get wrong
                _code_use(doc, seen, full, use, code, lines, index, start_of_line,
                          "method or attribute of a library object" if method else "library")
            objects.learn(code, aliases)


def _code_use(doc: Document, seen: dict[str, Candidate], full: str, use: re.Match[str], code: str,
              lines: list[str], index: int, start_of_line: int, what: str) -> None:
    """One candidate per full name at its first use; a `from X import Y` line is replaced by the first call of
    `Y` that says more (a keyword argument, a comment), so `Y(C=0.5)` is not lost behind its import."""
    line, line_no = lines[index], doc.line(start_of_line)
    keyword = first_keyword(code[use.end() - 1:]) if use.group(3) else None
    does = _what_it_does(lines, index)
    known = seen.get(full)
    if known is not None:
        known.places.append(line_no)
        if not (known.reason == IMPORTED and (keyword or does)):
            return
    quote = line.strip()
    fields: dict[str, object] = {"package": distribution(full), "name": full}
    if keyword:
        fields["argument"] = keyword
    if does:
        fields["does"] = does
    statement = f"{full} exists" + (f" and takes {fields['argument']}" if "argument" in fields else "")
    statement += f"; the code says: {does}." if does else "."
    seen[full] = Candidate("api", quote, start_of_line + line.index(quote), statement,
                           f"{what} {'call' if use.group(3) else 'name'} in code", 0.8, fields,
                           places=[line_no, *(known.places if known else [])])


def _lines(text: str) -> list[tuple[int, str]]:
    offsets, out = 0, []
    for line in text.split("\n"):
        out.append((offsets, line))
        offsets += len(line) + 1
    return out


def _prose_candidates(doc: Document, code_spans: object, seen: dict[str, Candidate],
                      found: list[Candidate]) -> None:
    """Regexes run only on the lines that hold their cue (a substring test), which keeps a 100,000-line
    document fast: Python's regex engine would try every position of the text. Loss names are looked for
    in code-like lines too (a slide's loss table reads like code to the code finder)."""
    imported = {key.split(".", maxsplit=1)[0] for key in seen if ":" not in key}
    libraries = LIBRARIES | imported

    def propose(full: str, quote: str, start: int, reason: str, does: str | None) -> None:
        root, _, rest = full.partition(".")  # a described name is a distribution's: scikit-learn -> sklearn
        module = IMPORT_NAMES.get(root, root.replace("-", "_"))
        _prose(doc, module + (f".{rest}" if rest else ""), quote, start, seen, reason, does)

    previous = ""
    for offset, line in _lines(doc.text):
        if "_" in line:
            _losses(doc, offset, line, seen)
        if line.strip():
            if offset not in code_spans:  # type: ignore[operator]
                # api_prose's rules: libraries described, listed in a description, used as the means; the
                # known libraries are LIBRARIES and the root modules the document's own code imports or calls
                api_prose.described(line, offset, previous, propose)
                api_prose.used(line, offset, libraries, imported, propose)
            previous = line
        if ("." in line or "s " in line) and offset not in code_spans:  # type: ignore[operator]
            _named(doc, offset, line, seen, found)


def _named(doc: Document, offset: int, line: str, seen: dict[str, Candidate], found: list[Candidate]) -> None:
    """Dotted names, submodule names, possessives and "X as the library for" on one prose line."""
    if _DOTTED_CUE.search(line):
        _dotted(doc, offset, line, seen)
    if any(f"{sub}." in line for sub in SUBMODULES):
        _submodules(doc, offset, line, seen)
    if "'s " in line or "’s " in line:
        for match in POSSESSIVE.finditer(line):
            _possessive(match, offset, doc, seen, found)
    if " as the " in line:
        for match in AS_LIBRARY.finditer(line):
            _prose(doc, match.group(1), match.group(0), offset + match.start(), seen, "library named as the tool")


def _submodules(doc: Document, offset: int, line: str, seen: dict[str, Candidate]) -> None:
    for match in SUBMODULE_USE.finditer(line):
        full = SUBMODULES[match.group(1)] + match.group(2)
        _prose(doc, full, match.group(0), offset + match.start(), seen, "library function in prose")


def _dotted(doc: Document, offset: int, line: str, seen: dict[str, Candidate]) -> None:
    for match in PROSE_DOTTED.finditer(line):
        dotted = match.group(1).rstrip(".")
        root = dotted.split(".", maxsplit=1)[0]
        full = CONVENTIONAL.get(root, root) + dotted[len(root):]
        _prose(doc, full, dotted, offset + match.start(1), seen, "library name in prose")


def _losses(doc: Document, offset: int, line: str, seen: dict[str, Candidate]) -> None:
    for match in SNAKE.finditer(line):
        loss = _keras_loss(match.group(1))
        if loss:
            _prose(doc, f"keras.losses.{match.group(1)}", match.group(1), offset + match.start(1), seen,
                   f"Keras loss name (close to {loss})")


def _keras_loss(word: str) -> str | None:
    """The Keras loss a snake_case word names or misspells (difflib ratio >= 0.8, case-folded)."""
    close = difflib.get_close_matches(word.lower(), KERAS_LOSSES, n=1, cutoff=0.8)
    return close[0] if close else None


def _possessive(match: re.Match[str], offset: int, doc: Document, seen: dict[str, Candidate],
                found: list[Candidate]) -> None:
    owner, name = match.group(1), match.group(2)
    if owner in NON_PYTHON:
        found.append(Candidate("citation", match.group(0), offset + match.start(),
                               f"{owner} has a function {name} (its documentation is the reference).",
                               f"function of non-Python software {owner}", 0.6,
                               {"reference": {"name": name, "venue": owner}}))
    elif owner.lower() in LIBRARIES:
        _prose(doc, f"{owner.lower()}.{name}", match.group(0), offset + match.start(), seen,
               "library function in prose")


def _prose(doc: Document, full: str, quote: str, start: int, seen: dict[str, Candidate], reason: str,
           does: str | None = None) -> None:
    """One candidate per name named in prose; a description ("mcfit is a library that ...") is its own
    assertion (what the package does), kept apart from the bare mentions of the same name."""
    line = doc.line(start)
    key = f"{'described' if does else 'prose'}:{full}"
    if key in seen:
        seen[key].places.append(line)
        return
    fields: dict[str, object] = {"package": distribution(full), "name": full}
    statement = f"{full} exists (named in the text)."
    if does:
        fields["does"] = does
        statement = f"{full} exists; the text says it does: {does}."
    seen[key] = Candidate("api", quote, start, statement, reason, 0.7, fields, places=[line])


def find(doc: Document) -> list[Candidate]:
    seen: dict[str, Candidate] = {}
    found: list[Candidate] = []
    _code_candidates(doc, seen)
    spans = doc.code_spans()
    _prose_candidates(doc, spans, seen, found)
    for candidate in seen.values():
        others = sorted(set(candidate.places[1:]) - {candidate.places[0]})
        if others:
            candidate.reason += f"; also on line{'s' if len(others) > 1 else ''} " + ", ".join(map(str, others[:8]))
    return [*seen.values(), *found]
