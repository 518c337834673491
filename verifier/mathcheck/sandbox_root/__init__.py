"""Project root handed to the sandbox for declarative checks."""
