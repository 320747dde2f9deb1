// Workload: how many plan tasks each unit leads, implements, cooperates on or supports, per level of the
// document that assigns them (own assignments only, not a column repeating the level above).
// Same answer as the role and total columns of queries.workload.workload(G).
// Tasks are matched to their document by doc_id (the same tasks as its CONTAINS paths, 40× faster).
MATCH (t:Task)-[a:ASSIGNED_TO]->(u:Unit), (doc:Document)
WHERE doc.id = t.doc_id AND a.`column` = 'own' AND coalesce(t.scope, 'plan') <> 'notice'
RETURN u.id AS unit, u.name AS name, doc.level AS level,
       count(DISTINCT CASE WHEN a.role = 'lead' THEN t.id END) AS lead,
       count(DISTINCT CASE WHEN a.role = 'implement' THEN t.id END) AS implement,
       count(DISTINCT CASE WHEN a.role = 'cooperate' THEN t.id END) AS cooperate,
       count(DISTINCT CASE WHEN a.role = 'support' THEN t.id END) AS support,
       count(DISTINCT t.id) AS total
ORDER BY total DESC, unit, level
