"""The claims registry: models, YAML loading with file:line errors, quote anchoring, appending."""

from verifier.registry.loader import load_registry
from verifier.registry.records import ClaimRecord, Registry, SourceDoc

__all__ = ["ClaimRecord", "Registry", "SourceDoc", "load_registry"]
