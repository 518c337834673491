"""JUnit XML: one testcase per claim, findings as failures, so CI systems show an audit like a test run."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from verifier.results.grouping import group_by_source
from verifier.results.models import AuditRun, ClaimResult
from verifier.verdicts import FINDINGS, Status

NOT_RUN = frozenset({Status.SKIPPED, Status.UNVERIFIABLE, Status.UNREACHABLE})
# Characters XML 1.0 cannot carry at all, even escaped; snippet output (ANSI colours, a stray NUL) and YAML
# escapes in a claim ("\a") can put them in a summary, and ElementTree would write them into invalid XML.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    """`text` with every character XML cannot hold shown as \\xNN."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


class JunitFormat:
    def render(self, run: AuditRun) -> str:
        suites = ET.Element("testsuites", name="verifier audit")
        totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0, "passed": 0}
        for source, results in group_by_source(run.results).items():
            suite = ET.SubElement(suites, "testsuite", name=source, timestamp=run.audit.started)
            counts = {"tests": len(results), "failures": 0, "errors": 0, "skipped": 0, "passed": 0}
            for result in results:
                counts[self._case(suite, result)] += 1
            for key, value in counts.items():
                totals[key] += value
                if key != "passed":
                    suite.set(key, str(value))
        for key, value in totals.items():
            if key != "passed":
                suites.set(key, str(value))
        ET.indent(suites)
        return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"

    def _case(self, suite: ET.Element, result: ClaimResult) -> str:
        duration = sum(check.duration_s for check in result.checks)
        case = ET.SubElement(
            suite, "testcase", name=xml_text(f"{result.location}::{result.claim_id}"),
            classname=f"{result.source}.{result.kind}", time=f"{duration:.3f}",
        )
        detail = xml_text("\n".join(f"{c.name}: {c.status.value}: {c.summary}" for c in result.checks))
        summary = xml_text(result.summary)
        if result.status in FINDINGS:
            node = ET.SubElement(case, "failure", message=f"{result.status.value}: {summary}",
                                 type=result.status.value)
            node.text = detail
            return "failures"
        if result.status is Status.ERROR:
            node = ET.SubElement(case, "error", message=summary, type="error")
            node.text = detail
            return "errors"
        if result.status in NOT_RUN:
            ET.SubElement(case, "skipped", message=f"{result.status.value}: {summary}")
            return "skipped"
        ET.SubElement(case, "system-out").text = detail
        return "passed"
