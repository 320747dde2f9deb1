"""One exception hierarchy for the whole project.

Library code raises these; only the CLI and the app turn them into one line for the user.
"""
from __future__ import annotations


class CascadeError(Exception):
    """Base of every error the user should see as one line."""


class LoadError(CascadeError):
    """A file could not be read as a document. Always names the file."""

    def __init__(self, path, problem: str, line: int | None = None):
        self.path = str(path)
        self.problem = problem
        self.line = line
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {problem}")


class ManifestError(CascadeError):
    """The manifest is malformed or names files that do not exist."""


class StoreError(CascadeError):
    """The store is missing, unreadable or of another version."""


class QueryError(CascadeError):
    """A Cypher query was refused or failed."""


class ReadOnlyError(QueryError):
    """A query tried to change the store."""


class ExportError(CascadeError):
    """An exporter or a push failed."""


class ReviewError(CascadeError):
    """The reviews file (data/reviews.yaml) is malformed or a review names no link. Names the file."""
