// Coverage gaps: upper requirements a lower document was expected to take up and no task of it derives from.
// Same answer as queries.gaps.coverage(G) rows with status "gap" (README, "Coverage analysis").
// The rows are the store's Gap rows, one per (requirement, lower plan), which the definition of a gap
// (graph/gap_rows.cypher) gave when the graph was stored, an incremental build kept true, and a push
// sent with the graph (graph/gap_rows.py, docs/SCHEMA.md): a page sorts them, not the definition run
// over every pair of plans (at a nation-year 1.0-1.4 s before a first page, 5 s for the total; now 0.1 s).
MATCH (g:Gap)
RETURN g.upper AS upper, g.upper_doc AS upper_doc, g.lower_doc AS lower_doc, g.number AS number, g.text AS text,
       g.upper_level AS upper_level, g.lower_level AS lower_level, g.lower_region AS lower_region,
       g.lower_year AS lower_year, g.lower_title AS lower_title, g.lower_issuer AS lower_issuer
ORDER BY lower_doc, upper_doc, upper
