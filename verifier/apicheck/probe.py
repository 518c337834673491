"""The sandbox side of an api check: import the installed package and look the dotted name up.

Runs ONLY inside the sandbox (the CLI never imports the package a claim names: importing runs the
package's code). `run_probe` is called by a fixed template the checker sends as a snippet; it prints one
JSON line after MARKER, so the host reads a plain observation and never unpickles anything.

What it measures: the installed version; the longest importable module prefix of the name; for a found
name its kind, signature, first docstring line, defining module and whether a stated argument is
accepted; for a missing one the package's own message (numpy and scipy say "was removed in ...") and the
nearest names in that module's namespace (difflib on `dir()`, also case-folded)."""

from __future__ import annotations

import difflib
import importlib
import importlib.metadata
import inspect
import json
import re
import warnings
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from verifier.results.evidence import ApiProbe

MARKER = "@@verifier-api-probe@@"
_RECORD = re.compile(r"\b(removed|deprecated|expired|no longer)\b", re.IGNORECASE)
_REMOVED_IN = re.compile(r"\bremoved\b[^.]*?\b(?:in|since|from)\s+(?:[A-Za-z][\w-]*\s+)?v?(\d+(?:\.\d+)+)",
                         re.IGNORECASE)
_DEPRECATED_IN = re.compile(r"\bdeprecated\b[^.]*?\b(?:in|since|from)\s+(?:[A-Za-z][\w-]*\s+)?v?(\d+(?:\.\d+)+)",
                            re.IGNORECASE)


def nearest_names(wanted: str, names: list[str], limit: int = 5) -> list[str]:
    """Names of a namespace closest to `wanted`, by difflib's ratio, case-folded (`fmin_unc` ~ `fminunc`)."""
    folded = {name.lower(): name for name in names if not name.startswith("__")}
    matches = difflib.get_close_matches(wanted.lower(), list(folded), n=limit, cutoff=0.6)
    return [folded[m] for m in matches]


def removal_note(message: str) -> dict[str, Any] | None:
    """The package's own record of a removal, read from the AttributeError it raises for the name.

    A name that is absent AND whose error message speaks of removal or deprecation (numpy's expired
    attributes, scipy's deprecated-module shims) existed once; the versions are read when the message
    gives them."""
    if not _RECORD.search(message):
        return None
    removed, deprecated = _REMOVED_IN.search(message), _DEPRECATED_IN.search(message)
    return {"message": message[:500], "removed_in": removed.group(1) if removed else None,
            "deprecated_in": deprecated.group(1) if deprecated else None}


def _import_prefix(parts: list[str]) -> tuple[ModuleType | None, int, dict[str, str] | None]:
    """The longest importable module prefix: (module, how many parts it covers, an import failure).

    A prefix that is simply not a module (`scipy.misc.derivative`) is skipped; any other failure (the
    package raises on import, a dependency is missing) is the measurement and ends the search."""
    for count in range(len(parts), 0, -1):
        dotted = ".".join(parts[:count])
        try:
            return importlib.import_module(dotted), count, None
        except ModuleNotFoundError as exc:
            inside = {".".join(parts[:n]) for n in range(2, count + 1)}  # a submodule of the named path
            if exc.name in inside:
                continue
            return None, 0, {"module": dotted, "type": type(exc).__name__, "message": str(exc)[:500]}
        except Exception as exc:  # a package that fails on import is a measured fact
            return None, 0, {"module": dotted, "type": type(exc).__name__, "message": str(exc)[:500]}
    return None, 0, {"module": parts[0], "type": "ModuleNotFoundError",
                     "message": f"No module named {parts[0]!r}"}


def _signature(obj: Any) -> tuple[str | None, list[str], bool]:
    """(signature text, parameter names, accepts **kwargs); classes are described by their constructor."""
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return None, [], False
    names = [p.name for p in signature.parameters.values()]
    var_kw = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in signature.parameters.values())
    return str(signature), names, var_kw


def _kind(obj: Any) -> str:
    if inspect.ismodule(obj):
        return "module"
    if inspect.isclass(obj):
        return "class"
    if callable(obj):
        return "function"
    return type(obj).__name__


def _first_doc_line(obj: Any) -> str | None:
    doc = inspect.getdoc(obj)
    if not doc:
        return None
    for line in doc.splitlines():
        if line.strip():
            return line.strip()[:300]
    return None


def _deprecation_in_doc(obj: Any) -> str | None:
    """The docstring's own deprecation note (`.. deprecated::`, "is deprecated"), the package's record that a
    name still present is on its way out."""
    doc = inspect.getdoc(obj) or ""
    for line in doc.splitlines():
        if ".. deprecated::" in line or re.search(r"\b(is|has been) deprecated\b", line, re.IGNORECASE):
            return " ".join(line.split())[:300]
    return None


def probe(package: str, name: str, argument: str | None = None) -> dict[str, Any]:
    """Observe `name` in the installed `package`; every key is a measurement."""
    result: dict[str, Any] = {"package": package, "name": name}
    try:
        result["version"] = importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        result.update(found=False, installed=False)
        return result
    result["installed"] = True
    parts = name.split(".")
    module, covered, failure = _import_prefix(parts)
    if module is None:
        result.update(found=False, import_error=failure)
        return result
    obj: Any = module
    for index in range(covered, len(parts)):
        part = parts[index]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                obj = getattr(obj, part)
            except AttributeError as exc:
                message = str(exc)
                result.update(found=False, missing=".".join(parts[: index + 1]), parent=".".join(parts[:index]),
                              message=message[:500], removal=removal_note(message),
                              nearest=nearest_names(part, sorted(dir(obj))))
                return result
        deprecations = [str(w.message)[:300] for w in caught if issubclass(w.category, DeprecationWarning)]
        if deprecations:
            result.setdefault("deprecation_warnings", []).extend(deprecations)
    signature, parameters, var_kw = _signature(obj)
    result.update(found=True, object_kind=_kind(obj), signature=signature, doc=_first_doc_line(obj),
                  defined_in=getattr(obj, "__module__", None) or getattr(obj, "__name__", None))
    if not inspect.ismodule(obj):
        note = _deprecation_in_doc(obj)
        if note:
            result["deprecated_doc"] = note
    if argument is not None:
        result["argument"] = {"name": argument, "accepted": argument in parameters,
                              "via_kwargs": argument not in parameters and var_kw,
                              "known": signature is not None}
    return result


def run_probe(package: str, name: str, argument: str | None = None) -> None:
    """Entry point of the sandboxed snippet: print the observation as one JSON line after MARKER."""
    print(MARKER + json.dumps(probe(package, name, argument), default=repr))


def snippet(package: str, name: str, argument: str | None) -> str:
    """The fixed code the checker runs in the sandbox; the claim's values enter only as Python string literals
    (`repr` of str or None, which the claim model has already restricted to names)."""
    return ("from verifier.apicheck.probe import run_probe\n"
            f"run_probe({package!r}, {name!r}, {argument!r})\n")


def parse_output(stdout: str) -> ApiProbe | None:
    """The observation printed by `run_probe` (host side), or None when the run printed none; a line that is
    not a valid observation raises pydantic's ValidationError."""
    from verifier.results.evidence import ApiProbe  # host only: the sandbox side stays free of the models

    for line in reversed(stdout.splitlines()):
        if line.startswith(MARKER):
            return ApiProbe.model_validate_json(line[len(MARKER):])
    return None
