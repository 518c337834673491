"""Declarative math checks: the grammar (host), the evaluator (sandbox), explanations and mutations."""
