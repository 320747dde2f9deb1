"""One exception hierarchy for the whole project.

Library code raises these; only the CLI and the app turn them into one line for the user.
"""
from __future__ import annotations


class CascadeError(Exception):
    """Base of every error the user should see as one line.

    ``key`` and keyword parameters are optional: a stable name for the problem (``no_store``) and what
    fills it in, so the CLI and the app can say it in the user's language (cascade/i18n); the message
    itself stays the English one-liner for logs and for callers that do not translate.
    """

    def __init__(self, *args, key: str | None = None, **params):
        super().__init__(*args)
        self.key = key
        self.params = params


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
