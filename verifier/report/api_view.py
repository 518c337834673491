"""View model of an api check's evidence for the claim detail page (pure; tested without Streamlit)."""

from __future__ import annotations

from typing import Any


def api_rows(evidence: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) rows of what the sandboxed probe measured, and of the release history when asked."""
    probe = evidence.get("probe") or {}
    rows = [("package", f"{probe.get('package')} {probe.get('version') or '(not installed)'}"),
            ("name", str(probe.get("name")))]
    if probe.get("found"):
        rows += _found(probe)
    elif probe.get("installed"):
        rows += _missing(probe)
    history = evidence.get("history")
    if history:
        rows.append(("release history", f"{history.get('status')}: {history.get('reason')}"))
        checked = ", ".join(f"{c['version']} {'has it' if c['has'] else 'lacks it' if c['has'] is False else '?'}"
                            for c in history.get("checked") or [])
        if checked:
            rows.append(("releases read", checked))
    latest = evidence.get("latest")
    if latest:
        rows.append(("newest release on the index", f"{latest.get('version')}: {latest.get('reason')}"))
    return rows


def _found(probe: dict[str, Any]) -> list[tuple[str, str]]:
    rows = [("kind", str(probe.get("object_kind"))), ("signature", str(probe.get("signature") or "unknown")),
            ("first docstring line", str(probe.get("doc") or "none")), ("defined in", str(probe.get("defined_in")))]
    argument = probe.get("argument")
    if argument:
        accepted = "yes" if argument.get("accepted") else ("only through **kwargs" if argument.get("via_kwargs")
                                                           else "no")
        rows.append((f"argument {argument.get('name')}", accepted))
    rows += [("deprecation warning", str(warning)) for warning in probe.get("deprecation_warnings") or []]
    if probe.get("deprecated_doc"):
        rows.append(("deprecated (docstring)", str(probe["deprecated_doc"])))
    return rows


def _missing(probe: dict[str, Any]) -> list[tuple[str, str]]:
    rows = []
    if probe.get("missing"):
        rows.append(("missing", str(probe["missing"])))
    if probe.get("message"):
        rows.append(("error message", " ".join(str(probe["message"]).split())))
    error = probe.get("import_error")
    if error:
        rows.append(("import error", f"{error.get('module')}: {error.get('type')}: {error.get('message')}"))
    rows.append(("nearest names", ", ".join(probe.get("nearest") or []) or "none"))
    return rows
