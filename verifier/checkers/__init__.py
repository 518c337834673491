"""Checkers: one per claim kind, behind the Checker protocol."""
