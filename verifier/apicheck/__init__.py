"""Library APIs as checkable claims: the sandboxed probe, release history from the package index, the checker."""
