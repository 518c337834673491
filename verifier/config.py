"""Settings from the environment (flags override them): where the store lives and how arXiv is reached."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from verifier.errors import UsageError

DEFAULT_ARXIV_URL = "https://export.arxiv.org/api/query"
MIN_INTERVAL_FLOOR = 3.0  # arXiv's terms: one request every 3 s


@dataclass(frozen=True)
class Settings:
    home: Path
    arxiv_url: str
    min_interval: float
    contact: str | None

    @property
    def reports(self) -> Path:
        return self.home.parent / "reports"


def load_settings(project_root: Path, arxiv_url: str | None = None) -> Settings:
    """Read VERIFIER_HOME, VERIFIER_ARXIV_URL, VERIFIER_ARXIV_MIN_INTERVAL and VERIFIER_CONTACT.

    The interval may go below 3 s only for a mirror you run (a non-arxiv.org URL)."""
    home = Path(os.environ.get("VERIFIER_HOME") or project_root / ".verifier").resolve()
    url = arxiv_url or os.environ.get("VERIFIER_ARXIV_URL") or DEFAULT_ARXIV_URL
    raw = os.environ.get("VERIFIER_ARXIV_MIN_INTERVAL", str(MIN_INTERVAL_FLOOR))
    try:
        interval = float(raw)
    except ValueError:
        raise UsageError(f"VERIFIER_ARXIV_MIN_INTERVAL must be a number of seconds, not {raw!r}") from None
    if interval < 0:
        raise UsageError("VERIFIER_ARXIV_MIN_INTERVAL cannot be negative")
    if "arxiv.org" in url and interval < MIN_INTERVAL_FLOOR:
        interval = MIN_INTERVAL_FLOOR
    return Settings(home=home, arxiv_url=url, min_interval=interval,
                    contact=os.environ.get("VERIFIER_CONTACT") or None)
