// Local additions: tasks of a document that implements another and derive from nothing above.
// Same answer as queries.gaps.local_additions(G).
// Tasks are matched to their document by doc_id (the same tasks as its CONTAINS paths, 100× faster).
MATCH (lo:Document)-[:IMPLEMENTS]->(:Document)
WITH DISTINCT lo
MATCH (t:Task)
WHERE t.doc_id = lo.id AND coalesce(t.scope, 'plan') <> 'notice'
  AND NOT EXISTS { MATCH (t)-[d:DERIVED_FROM]->() WHERE coalesce(d.status, 'proposed') <> 'rejected' }
RETURN DISTINCT lo.id AS lower_doc, t.id AS lower, t.number AS number, t.text_norm AS text
ORDER BY lower_doc, lower
