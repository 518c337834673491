"""Api claims: does the library name exist in the installed package, take the stated argument, and do
what the source says? Everything that imports the package runs in the sandbox (`apicheck.probe`).

Verdicts (documented in the README, "Library APIs"):
- `confirmed`: the name exists (and accepts the stated argument; and the behaviour check holds);
- `refuted`: the name does not exist and no record says it ever did, or it lacks the stated argument, or
  the behaviour check finds it does something else;
- `does_not_run`: the name is gone but existed: the package's own removal message, or an older release
  on the package index has it (code using it fails as written: a removed API);
- `skipped`: the package is not installed here (TensorFlow); `error`: the probe itself failed."""

from __future__ import annotations

import importlib.metadata
from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import ValidationError

from verifier.apicheck.history import PackageIndex
from verifier.apicheck.probe import parse_output, snippet
from verifier.checkers.code import environment_fingerprint, project_runner, source_digest
from verifier.checkers.interface import CheckContext, Checker
from verifier.execution.interface import Executor
from verifier.execution.runner import CodeRequest, SandboxRunner
from verifier.registry.api_claim import ApiClaim
from verifier.results.evidence import (
    ApiEvidence,
    ApiProbe,
    LatestRelease,
    Observation,
    ObservationEvidence,
    ReleaseHistory,
    RunEvidence,
)
from verifier.results.models import CheckResult
from verifier.verdicts import Status


def installed_version(package: str) -> str:
    """The installed distribution's version from its metadata (read, not imported), or 'absent'."""
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


@dataclass(frozen=True)
class Releases:
    """What the package index said, when it was asked: the release history or the newest release."""

    history: ReleaseHistory | None = None
    latest: LatestRelease | None = None


NO_RELEASES = Releases()


def _names(nearest: list[str], parent: str) -> str:
    return f"; nearest names in {parent}: {', '.join(nearest)}" if nearest else f"; no similar name in {parent}"


class ApiChecker(Checker[ApiClaim]):
    name = "api"
    version = "2"  # 2: packages not installed here read from the newest wheel; relative file URLs

    def __init__(self, executor: Executor, device: str = "auto", index: PackageIndex | None = None) -> None:
        self.executor = executor
        self.device = device
        self.index = index

    def fingerprint(self, claim: ApiClaim, context: CheckContext) -> Mapping[str, str]:
        inputs = {**environment_fingerprint(self.device), "installed": installed_version(claim.package),
                  "index": (self.index.base_url + (" offline" if self.index.offline else "")) if self.index else "none"}
        if claim.check:
            inputs["check"] = source_digest(context.registry.reproductions, claim.check)
        return inputs

    def check(self, claim: ApiClaim, context: CheckContext) -> list[CheckResult]:
        runner = project_runner(self.executor, context)
        request = CodeRequest(code=snippet(claim.package, claim.name, claim.argument), device="cpu",
                              timeout_s=claim.timeout_s)
        result = runner.check("probe", request, ours=True)
        if result.status is not Status.CONFIRMED:
            return [result]
        runs = result.evidence.runs if isinstance(result.evidence, RunEvidence) else []
        try:
            observation = parse_output(runs[0].stdout) if runs else None
        except ValidationError as exc:
            return [result.model_copy(update={"status": Status.ERROR,
                                              "summary": f"the api probe printed an invalid observation: {exc}"[:600]})]
        if observation is None:
            return [result.model_copy(update={"status": Status.ERROR,
                                              "summary": "the api probe printed no observation"})]
        status, summary, extra = self._judge(claim, observation)
        evidence = ApiEvidence(probe=observation, history=extra.history, latest=extra.latest,
                               environment=runs[0].environment)
        checks = [CheckResult(name="probe", status=status, summary=summary, duration_s=result.duration_s,
                              evidence=evidence)]
        if claim.check and observation.found:
            checks.append(self._behaviour(claim, runner))
        return checks

    def _judge(self, claim: ApiClaim, seen: ApiProbe) -> tuple[Status, str, Releases]:
        package, version = claim.package, seen.version
        if not seen.installed:
            return self._not_installed(claim)
        if seen.found:
            return self._found(claim, seen)
        error = seen.import_error
        if error and not seen.missing:
            return (Status.DOES_NOT_RUN, f"importing {error.module} fails in {package} {version}: "
                    f"{error.type}: {error.message}"[:300], NO_RELEASES)
        missing, parent = seen.missing or claim.name, seen.parent or package
        near = _names(seen.nearest, parent)
        removal = seen.removal
        if removal:
            when = f" in {removal.removed_in}" if removal.removed_in else ""
            if not when and removal.deprecated_in:
                when = f" after its deprecation in {removal.deprecated_in}"
            return (Status.DOES_NOT_RUN, f"{missing} was removed{when} ({package}'s own record, installed "
                    f"{version}): {' '.join(removal.message.split())[:200]}", NO_RELEASES)
        if self.index is None:
            return (Status.REFUTED, f"{package} {version} has no {missing}; whether an older release had it is "
                    f"unknown (no package index){near}",
                    Releases(history=ReleaseHistory(status="unknown", reason="no index")))
        history = self.index.history(package, missing, str(version))
        extra = Releases(history=history.evidence())
        if history.status == "removed":
            return (Status.DOES_NOT_RUN, f"{missing} is gone from {package} {version}; removed after "
                    f"{history.last_with} (the last release on the index that has it){near}", extra)
        if history.status == "never":
            return Status.REFUTED, f"{missing} does not exist in {package} {version}, nor earlier: " \
                                   f"{history.reason}{near}", extra
        return (Status.REFUTED, f"{package} {version} has no {missing}; its history is unknown "
                f"({history.reason}){near}", extra)

    def _not_installed(self, claim: ApiClaim) -> tuple[Status, str, Releases]:
        """Not installed here: only the newest release's source on the index can say whether the name exists."""
        if self.index is None or self.index.offline:
            return Status.SKIPPED, f"needs {claim.package}, not installed here", NO_RELEASES
        latest = self.index.latest(claim.package, claim.name)
        extra = Releases(latest=latest.evidence())
        if latest.failed:
            return Status.UNREACHABLE, f"needs {claim.package}, not installed here; {latest.reason}", extra
        if latest.has is None:
            reason = f"needs {claim.package}, not installed here; the index cannot tell ({latest.reason})"
            return Status.SKIPPED, reason, extra
        if latest.has:
            return (Status.CONFIRMED, f"{claim.name} is defined by {claim.package} {latest.version}, the newest "
                    f"release ({latest.reason}; not installed here: signature and behaviour unchecked)", extra)
        return (Status.REFUTED, f"{claim.package} {latest.version}, the newest release, does not define {claim.name} "
                f"({latest.reason}; not installed here)", extra)

    @staticmethod
    def _found(claim: ApiClaim, seen: ApiProbe) -> tuple[Status, str, Releases]:
        where = f"{claim.name} exists in {claim.package} {seen.version} ({seen.object_kind}"
        where += f"{seen.signature})" if seen.signature else ")"
        argument = seen.argument
        if argument and argument.known and not argument.accepted:
            if argument.via_kwargs:
                return Status.CONFIRMED, f"{where}; {argument.name} is not a named parameter, only **kwargs " \
                                         "would take it", NO_RELEASES
            return Status.REFUTED, f"{where}, but it has no argument {argument.name!r}", NO_RELEASES
        notes = []
        if seen.deprecation_warnings:
            notes.append("deprecated: " + seen.deprecation_warnings[0][:160])
        elif seen.deprecated_doc:
            notes.append("its docstring says: " + seen.deprecated_doc[:160])
        if claim.version and seen.version and claim.version != seen.version:
            notes.append(f"the source names version {claim.version}")
        if claim.does and not claim.check:
            notes.append(f"what it does was not computed; its docstring: {seen.doc or 'none'}")
        return Status.CONFIRMED, "; ".join([where, *notes]), NO_RELEASES

    def _behaviour(self, claim: ApiClaim, runner: SandboxRunner) -> CheckResult:
        """The named computation decides the stated behaviour (same contract as a math check)."""
        assert claim.check is not None
        request = CodeRequest(target=claim.check, params=dict(claim.params),
                              device=self.device, timeout_s=claim.timeout_s)
        result = runner.check("behaviour", request, ours=True)
        if result.status is not Status.CONFIRMED:
            return result
        runs = result.evidence.runs if isinstance(result.evidence, RunEvidence) else []
        value = runs[0].value if runs else None
        try:
            if not isinstance(value, dict) or not isinstance(value.get("holds"), bool):
                raise ValueError("no bool `holds`")
            observation = Observation.model_validate(value)
        except (ValidationError, ValueError) as exc:
            summary = f"{claim.check} returned no observation {{holds, explanation}}: {exc}"[:600]
            return result.model_copy(update={"status": Status.ERROR, "summary": summary})
        status = Status.CONFIRMED if observation.holds else Status.REFUTED
        summary = observation.explanation or ("holds" if observation.holds else "does not hold")
        return result.model_copy(update={"status": status, "summary": summary,
                                         "evidence": ObservationEvidence(runs=runs, observation=observation)})
