// Not assessable (无法判断): upper requirements a lower document was expected to take up, that no task of it
// derives from, where its text cannot show whether it took them up. Same answer as
// queries.gaps.coverage(G) rows with status "not_assessable" (README, "Not assessable"), with why the pair
// cannot be judged: interpretation, notice, truncated (the lower document), level_unknown, parent_missing
// (a skip-level pair whose plan between is not held).
// The rows are the store's NotAssessable rows, which the definition (graph/not_assessable_rows.cypher)
// gave when the graph was stored, an incremental build kept true, and a push sent with the graph
// (graph/not_assessable_rows.py, docs/SCHEMA.md): a page sorts them, not the definition run by windows of
// lower documents (at a nation-year 0.8-1.2 s for a count with no row, 1.2 s a first page).
MATCH (n:NotAssessable)
RETURN n.upper AS upper, n.upper_doc AS upper_doc, n.lower_doc AS lower_doc, n.number AS number, n.text AS text,
       n.upper_level AS upper_level, n.lower_level AS lower_level, n.lower_region AS lower_region,
       n.lower_year AS lower_year, n.lower_title AS lower_title, n.lower_issuer AS lower_issuer, n.why AS why
ORDER BY lower_doc, upper_doc, upper
