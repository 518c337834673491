"""verifier: audit documents that cite papers, print program outputs and state math."""

from __future__ import annotations

__version__ = "0.1.0"
