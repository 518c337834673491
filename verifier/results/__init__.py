"""Results: models, the store (history, reuse, atomic report) and the output formats."""
