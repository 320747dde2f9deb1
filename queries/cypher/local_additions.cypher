// Local additions (本级新增): tasks of a document that implements another and derive from nothing above;
// the sentences of its framing sections (clause 'framing': 总体要求, 指导思想, 工作目标) add no task, nor the
// tasks of another plan issued beside the 政务公开 one (clause 'other_plan').
// Same answer as queries.gaps.local_additions(G).
// The rows are the store's LocalAddition rows, one per task, which the definition (graph/local_addition_rows.cypher)
// gave when the graph was stored, an incremental build kept true, and a push sent with the graph
// (graph/local_addition_rows.py, docs/SCHEMA.md): a page sorts them, not an anti-join of every task with
// its links (at a nation-year 0.5-1.8 s before a first page, 1.2-6 s for the total).
MATCH (r:LocalAddition)
RETURN r.lower_doc AS lower_doc, r.lower AS lower, r.number AS number, r.text AS text
ORDER BY lower_doc, lower
