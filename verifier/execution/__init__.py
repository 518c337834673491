"""Execution: the sandboxed runner, the warm pool, devices, output comparison, environment capture."""
