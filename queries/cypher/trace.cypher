// Trace: every lower task, at any level below, that takes up the requirement $task: it derives from it
// (or from a section containing it), or from a task that does, and so on down. Parameter: task (a task id).
// Same tasks as queries.trace.trace_rows(G, task).
MATCH p = (t:Task)-[:DERIVED_FROM|CONTAINS*1..8]->(u:Task {id: $task})
WHERE all(r IN relationships(p) WHERE coalesce(r.status, 'proposed') <> 'rejected')
RETURN DISTINCT t.id AS task, t.doc_id AS doc_id, t.number AS number, t.text_norm AS text
ORDER BY doc_id, task
