"""Faithful ports of snippets and numerical checks of statements, run only inside the sandbox."""
