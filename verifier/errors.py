"""Exit codes and the exception tree, so every failure maps to one documented exit code.

    VerifierError (exit 5: internal failure)
    ├── UsageError (exit 2: bad options or arguments)
    ├── InvalidInputError (exit 3: registry, source or options file is wrong; carries every Problem)
    │   └── SnapshotError (a snapshot index file is missing or not an index)
    ├── EmptySelectionError (exit 4: --only/--kind matched no claim)
    ├── StorageError (exit 6: the store, a cache or a report cannot be read or written; names the file)
    └── ServiceError (a remote index failed after retries; checkers turn it into `unreachable`)

Exceptions are picklable (plain args) because they cross process boundaries in the runner.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """The CLI contract: the exit codes of the README (Usage, "Exit codes"), one per kind of outcome."""

    OK = 0
    FINDINGS = 1
    USAGE = 2
    INVALID_INPUT = 3
    EMPTY_SELECTION = 4
    INTERNAL = 5
    STORAGE = 6


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located as precisely as the input allows."""

    path: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        field = f" [{self.field}]" if self.field else ""
        return f"{where}:{field} {self.message}"


class VerifierError(Exception):
    """Base of every error the CLI knows how to report."""

    exit_code: ExitCode = ExitCode.INTERNAL


class UsageError(VerifierError):
    exit_code = ExitCode.USAGE


class InvalidInputError(VerifierError):
    """Every problem found in the inputs of one run, reported together."""

    exit_code = ExitCode.INVALID_INPUT

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems

    def __str__(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the input:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


class SnapshotError(InvalidInputError):
    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        super().__init__([Problem(path, line, None, message)])


class EmptySelectionError(VerifierError):
    exit_code = ExitCode.EMPTY_SELECTION


class StorageError(VerifierError):
    """A file the tool keeps for itself (store, cache, report) is corrupt, read-only or cannot grow (disk full).

    Not an internal failure: the message names the file, what went wrong and what to do about it."""

    exit_code = ExitCode.STORAGE

    def __init__(self, path: str, action: str, detail: str) -> None:
        super().__init__(path, action, detail)
        self.path = path
        self.action = action
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.path}: cannot {self.action}: {self.detail}"


class ServiceError(VerifierError):
    """A remote service could not answer (after retries): never evidence of absence."""

    def __init__(self, service: str, message: str) -> None:
        super().__init__(service, message)
        self.service = service
        self.message = message

    def __str__(self) -> str:
        return f"{self.service}: {self.message}"
