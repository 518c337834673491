"""The result channel between a sandboxed child and its warm worker: what may arrive, and how it is judged.

The child gets the write end of a pipe that the worker opened (fd 3); nothing is read back from files in
the work dir. The harness writes one `start` line (device, environment facts; or why the run is skipped)
BEFORE any snippet code runs, so those facts cannot be forged, and one `end` line after it (ok or the
exception, and the reproduction's value). The snippet runs in the same process and can write to fd 3
too; so an `end` is accepted only if it could have happened anyway (ok or an exception: what the snippet
can cause by itself), `skipped` never comes from an `end`, a snippet has no value, a second `end` or a
garbled line makes the run `invalid`, and the whole channel is capped in size."""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, ValidationError

RESULT_LIMIT = 4 << 20


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ExceptionInfo(_Message):
    type: str = Field(max_length=200)
    message: str = Field(max_length=4000)
    traceback: str = Field(max_length=20000)


class Start(_Message):
    kind: Literal["start"]
    device: dict[str, JsonValue]
    environment: dict[str, JsonValue]
    skipped: str | None = Field(None, max_length=2000)


class End(_Message):
    kind: Literal["end"]
    status: Literal["ok", "exception"]
    exception: ExceptionInfo | None = None
    value: JsonValue = None


def parse(data: bytes, mode: str) -> tuple[Start | None, End | None, str | None]:
    """(start, end, problem): the problem says why the channel's content is not a result we accept."""
    lines = [line for line in data.split(b"\n") if line.strip()]
    start: Start | None = None
    end: End | None = None
    for number, line in enumerate(lines, 1):
        try:
            raw: Any = json.loads(line)
            if number == 1:
                start = Start.model_validate(raw)
                continue
            if end is not None:
                return start, None, "more than one result was sent"
            end = End.model_validate(raw)
        except (ValueError, ValidationError) as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            return start, None, f"message {number} is not a valid result ({first[:200]})"
    if end is not None and mode == "snippet" and end.value is not None:
        return start, None, "a snippet sent a value (only reproductions return one)"
    if end is not None and end.status == "exception" and end.exception is None:
        return start, None, "an exception result without the exception"
    return start, end, None
