"""View model of an api check's evidence for the claim detail page (pure; tested without Streamlit)."""

from __future__ import annotations

from verifier.results.evidence import ApiEvidence, ApiProbe


def api_rows(evidence: ApiEvidence) -> list[tuple[str, str]]:
    """(label, value) rows of what the sandboxed probe measured, and of the release history when asked."""
    probe = evidence.probe
    rows = [("package", f"{probe.package} {probe.version or '(not installed)'}"), ("name", probe.name)]
    if probe.found:
        rows += _found(probe)
    elif probe.installed:
        rows += _missing(probe)
    history = evidence.history
    if history:
        rows.append(("release history", f"{history.status}: {history.reason}"))
        checked = ", ".join(f"{c.version} {'has it' if c.has else 'lacks it' if c.has is False else '?'}"
                            for c in history.checked)
        if checked:
            rows.append(("releases read", checked))
    latest = evidence.latest
    if latest:
        rows.append(("newest release on the index", f"{latest.version}: {latest.reason}"))
    return rows


def _found(probe: ApiProbe) -> list[tuple[str, str]]:
    rows = [("kind", str(probe.object_kind)), ("signature", probe.signature or "unknown"),
            ("first docstring line", probe.doc or "none"), ("defined in", str(probe.defined_in))]
    argument = probe.argument
    if argument:
        accepted = "yes" if argument.accepted else ("only through **kwargs" if argument.via_kwargs else "no")
        rows.append((f"argument {argument.name}", accepted))
    rows += [("deprecation warning", warning) for warning in probe.deprecation_warnings]
    if probe.deprecated_doc:
        rows.append(("deprecated (docstring)", probe.deprecated_doc))
    return rows


def _missing(probe: ApiProbe) -> list[tuple[str, str]]:
    rows = []
    if probe.missing:
        rows.append(("missing", probe.missing))
    if probe.message:
        rows.append(("error message", " ".join(probe.message.split())))
    error = probe.import_error
    if error:
        rows.append(("import error", f"{error.module}: {error.type}: {error.message}"))
    rows.append(("nearest names", ", ".join(probe.nearest) or "none"))
    return rows
