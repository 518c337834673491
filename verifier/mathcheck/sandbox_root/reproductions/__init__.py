"""The sandbox's `reproductions` package for declarative checks (the project's own folder is not needed)."""
