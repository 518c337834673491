"""Output formats of an audit; every name in FORMATS has a formatter (a test checks it)."""

from __future__ import annotations

from typing import Protocol

from verifier.config import OutputFormat
from verifier.results.formats.json_format import JsonFormat
from verifier.results.formats.junit_format import JunitFormat
from verifier.results.formats.markdown_format import MarkdownFormat
from verifier.results.formats.table_format import TableFormat
from verifier.results.models import AuditRun

FormatName = OutputFormat  # the enum `--format` is typed by (config.py); this name is the formats' own


class Format(Protocol):
    def render(self, run: AuditRun) -> str: ...


FORMATS: dict[FormatName, Format] = {
    FormatName.TABLE: TableFormat(),
    FormatName.JSON: JsonFormat(),
    FormatName.JUNIT: JunitFormat(),
    FormatName.MARKDOWN: MarkdownFormat(),
}
