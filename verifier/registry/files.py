"""Read a registry file only when it really lives inside the registry folder, is a regular file and is not huge.

Every path here comes from the registry itself (a claims file found by glob, a source's `file:` field), so
it is untrusted: `file: /etc/passwd`, `file: ../../../home/me/.ssh/id_rsa` or a claims file that is a
symlink to somewhere else must not make `verifier show` or the report print a host file. A FIFO or a
device (`/dev/zero`) would block or exhaust memory, so only regular files are read, opened without
following a final symlink and without blocking, and never more than a size cap."""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_YAML_BYTES = 32 * 1024 * 1024  # a 10,000-claim file is about 3 MB
MAX_SOURCE_BYTES = 64 * 1024 * 1024  # a 100,000-line document is about 10 MB
MAX_SOURCE_LINES = 1_000_000  # anchoring keeps a few entries per line: 10 million empty lines took 5 GB


class Unreadable(Exception):
    """Why a registry file cannot be read; `line` is set when the problem is at a known line."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message, line)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        return self.message


def contained(path: Path, root: Path) -> Path:
    """`path` with every symlink resolved, or Unreadable when that lands outside `root` (already resolved)."""
    try:
        resolved = path.resolve(strict=True)
    except FileNotFoundError:
        raise Unreadable("no such file") from None
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop on older Pythons
        raise Unreadable(f"cannot resolve: {exc}") from None
    if not resolved.is_relative_to(root):
        raise Unreadable(f"resolves to {resolved}, outside the registry folder {root}; "
                         "registry files must live inside it")
    return resolved


def read_bytes(path: Path, root: Path, limit: int) -> bytes:
    """The bytes of a regular file inside `root`, at most `limit` of them (else Unreadable)."""
    resolved = contained(path, root)
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(resolved, flags)
    except OSError as exc:
        raise Unreadable(f"cannot open: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("not a regular file (a FIFO, device or folder cannot be read as one)")
        if info.st_size > limit:
            raise Unreadable(f"too large: {info.st_size:,} bytes (at most {limit:,})")
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise Unreadable(f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(data) > limit:  # grew while we read it
        raise Unreadable(f"too large: more than {limit:,} bytes")
    return data


def decode(data: bytes) -> str:
    """UTF-8 text (a leading byte-order mark dropped); Unreadable naming the line of the first bad byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise Unreadable(f"not UTF-8: byte 0x{data[exc.start]:02x} at line {line}, column {column} "
                         "(save the file as UTF-8)", line) from None
    return text[1:] if text.startswith("\ufeff") else text


def read_text(path: Path, root: Path, limit: int) -> str:
    return decode(read_bytes(path, root, limit))
