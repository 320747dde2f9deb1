"""Exporters in one registry keyed by format name (:mod:`graph.export.registry`); each writer, a module
of this package, is imported only when first used.

``export(G, "json")`` returns the text; ``export(G, "json", path)`` writes it (atomically) instead.
Writers: :mod:`~graph.export.json`, :mod:`~graph.export.graphml`, :mod:`~graph.export.csv`
(``neo4j-admin``), :mod:`~graph.export.cypher` (``cypher-shell``), :mod:`~graph.export.rdf` (Turtle,
and SPARQL over it); :mod:`~graph.export.rows` holds the properties they share with the Bolt push
(:mod:`graph.push`). The JSON reader :func:`from_json_dict` is the store's too.
"""
from .json import from_json_dict, to_json, to_json_dict
from .registry import export, formats, register

__all__ = ["export", "register", "formats", "to_json", "to_json_dict", "from_json_dict"]
