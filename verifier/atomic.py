"""Whole-file writes: a file is either the old one or the new one, never half of each.

The temporary file comes from `mkstemp`, which creates it 0600; left at that, every `verifier add` would make
a shared claims file private and every report unreadable to the team. The new file therefore takes the
mode of the file it replaces, or, for a new file, what `open()` would have given it (0666 minus the umask)."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from verifier.results.faults import storage_error


def current_umask() -> int:
    """The process umask, read without changing it (os.umask can only be read by setting it, which races
    with other threads creating files); falls back to set-and-restore where /proc is missing."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return 0o666 & ~current_umask()


def write_atomic(path: Path, text: str) -> None:
    """Temp file in the same folder, same mode as the file it replaces, fsync, os.replace (atomic on POSIX).

    A failure (read-only folder, full disk) leaves the old file as it was and raises StorageError naming it."""
    if path.is_dir():  # else the temp file lands beside the folder (in / for `--output /tmp`) and the rename fails
        raise storage_error(path, "write", IsADirectoryError(f"{path} is a folder: name a file to write"))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = _mode_for(path)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise storage_error(path, "write", exc) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise storage_error(path, "write", exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
