// Workload: how many plan tasks each unit leads, implements, cooperates on or supports, per level of the
// document that assigns them (own assignments only, not a column repeating the level above).
// Same answer as the role and total columns of queries.workload.workload(G).
// The counts are the store's Workload rows, counted once when the graph is stored or pushed
// (graph/workload_rows.py; docs/SCHEMA.md): a page is an ORDER BY over them, not the aggregate over every
// assignment it was (at a nation-year 4 s on the embedded store, 16 s on FalkorDB, before any row).
MATCH (w:Workload)-[:WORKLOAD_OF]->(u:Unit)
RETURN u.id AS unit, u.name AS name, w.level AS level, w.lead AS lead, w.implement AS implement,
       w.cooperate AS cooperate, w.support AS support, w.total AS total
ORDER BY total DESC, unit, level
