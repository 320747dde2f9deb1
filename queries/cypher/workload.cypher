// Workload: how many plan tasks each unit leads, implements, cooperates on or supports, per level of the
// document that assigns them (own assignments only, not a column repeating the level above).
// Same answer as the role and total columns of queries.workload.workload(G).
// The counts are the store's Workload rows, one per unit and level, counted once when the graph is stored
// or pushed (graph/workload_rows.py, docs/SCHEMA.md): a page ranks them, not every assignment aggregated
// (at a nation-year 4 s on the embedded store and 16 s on FalkorDB before the first row; now 0.1 s).
MATCH (w:Workload)
RETURN w.unit AS unit, w.name AS name, w.level AS level, w.lead AS lead, w.implement AS implement,
       w.cooperate AS cooperate, w.support AS support, w.total AS total
ORDER BY total DESC, unit, level
