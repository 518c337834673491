"""Environment capture for provenance, without importing torch (so the CLI stays instant)."""

from __future__ import annotations

import os
import platform
import sys
from importlib import metadata
from typing import Any

import verifier

PACKAGES = ("numpy", "torch", "scipy", "httpx", "arxiv", "pydantic", "tensorflow", "keras")


def package_versions(names: tuple[str, ...] = PACKAGES) -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def host_environment() -> dict[str, Any]:
    return {
        "verifier": verifier.__version__,
        "python": platform.python_version(),
        "implementation": sys.implementation.name,
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "packages": package_versions(),
    }
