// Local additions: tasks of a document that implements another and derive from nothing above.
// Same answer as queries.gaps.local_additions(G).
MATCH (lo:Document)-[:CONTAINS*1..4]->(t:Task)
WHERE coalesce(t.scope, 'plan') <> 'notice'
  AND EXISTS { MATCH (lo)-[:IMPLEMENTS]->(:Document) }
  AND NOT EXISTS { MATCH (t)-[d:DERIVED_FROM]->() WHERE coalesce(d.status, 'proposed') <> 'rejected' }
RETURN DISTINCT lo.id AS lower_doc, t.id AS lower, t.number AS number, t.text_norm AS text
ORDER BY lower_doc, lower
