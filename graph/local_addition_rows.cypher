// The definition of a local addition (本级新增): the store's LocalAddition rows (graph/local_addition_rows.py),
// copied from this query once the graph is loaded into the embedded database; the saved query
// queries/cypher/local_additions.cypher pages those rows.
// A task of a document that implements another, which derives from nothing above: no DERIVED_FROM link of
// it that an analyst did not reject. A cover notice's points (scope 'notice') and the sentences of framing
// sections (clause 'framing': 总体要求, 指导思想, 工作目标) add no task, nor the tasks of another plan its cover
// notice issues beside the 政务公开 one (clause 'other_plan': a 政务服务 要点).
// Same answer as queries.gaps.local_additions(G). Run on the embedded engine only (a subquery): a Bolt
// server reads the rows a push sent. The tasks of a few documents (an incremental build) are asked by key
// instead (graph.local_addition_rows.tasks_query), with the same conditions.
MATCH (lo:Document)-[:IMPLEMENTS]->(:Document)
WITH DISTINCT lo
MATCH (t:Task)
WHERE t.doc_id = lo.id AND coalesce(t.scope, 'plan') <> 'notice' AND NOT coalesce(t.clause, 'obligation') IN ['framing', 'other_plan']
  AND NOT EXISTS { MATCH (t)-[d:DERIVED_FROM]->() WHERE coalesce(d.status, 'proposed') <> 'rejected' }
RETURN t.id AS id, lo.id AS lower_doc, t.id AS lower, t.number AS number, t.text_norm AS text
ORDER BY lower_doc, lower
