"""Draft claims from a new document by deterministic text analysis (`verifier extract`)."""
