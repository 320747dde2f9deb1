// Local additions: tasks of a document that implements another and derive from nothing above; the
// sentences of its framing sections (clause 'framing': 总体要求, 指导思想, 工作目标) add no task.
// Same answer as queries.gaps.local_additions(G).
// Tasks are matched to their document by doc_id (the same tasks as its CONTAINS paths, 100× faster);
// links counted with OPTIONAL MATCH, not NOT EXISTS { }, so a Bolt server without subqueries
// (FalkorDB) runs it too.
MATCH (lo:Document)-[:IMPLEMENTS]->(:Document)
WITH DISTINCT lo
MATCH (t:Task)
WHERE t.doc_id = lo.id AND coalesce(t.scope, 'plan') <> 'notice' AND coalesce(t.clause, 'obligation') <> 'framing'
OPTIONAL MATCH (t)-[d:DERIVED_FROM]->()
WITH lo, t, count(CASE WHEN d IS NOT NULL AND coalesce(d.status, 'proposed') <> 'rejected' THEN 1 END) AS kept
WHERE kept = 0
RETURN DISTINCT lo.id AS lower_doc, t.id AS lower, t.number AS number, t.text_norm AS text
ORDER BY lower_doc, lower
