// Coverage gaps: upper tasks a lower document was expected to take up and no task of it derives from.
// Expected: the lower document's issuer, or a collective covering it (MEMBER_OF), is one of the task's own
// units; or the task names no unit (it addresses every lower government) and its text is not addressed to
// a national body only. A link to a section containing the task also counts as taking it up.
// Same answer as queries.gaps.coverage(G) rows with status "gap".
// Tasks are matched to their document by doc_id (the same tasks as its CONTAINS paths, 50× faster).
MATCH (lo:Document)-[:IMPLEMENTS]->(up:Document), (u:Task)
WHERE u.doc_id = up.id
  AND coalesce(u.scope, 'plan') <> 'notice'
  AND NOT coalesce(u.text_norm, '') =~ '^(?:为[^,,。]{0,20}[,,])?(国务院有关主管部门|国务院有关部门|国务院各部门|国务院部门|国务院行政复议机构|中国政府网|尚未发布[^,,。]{0,30}的国务院部门|已发布[^,,。]{0,30}的国务院部门).*'
  AND (NOT EXISTS { MATCH (u)-[a:ASSIGNED_TO]->(:Unit) WHERE a.`column` = 'own' }
       OR EXISTS { MATCH (lo)-[:ISSUED_BY]->(i:Unit), (u)-[a:ASSIGNED_TO]->(x:Unit) WHERE a.`column` = 'own' AND x.id = i.id }
       OR EXISTS { MATCH (lo)-[:ISSUED_BY]->(:Unit)-[:MEMBER_OF*1..3]->(x:Unit)<-[a:ASSIGNED_TO]-(u) WHERE a.`column` = 'own' })
  AND NOT EXISTS { MATCH (t:Task)-[d:DERIVED_FROM]->(u)
                   WHERE t.doc_id = lo.id AND coalesce(t.scope, 'plan') <> 'notice' AND coalesce(d.status, 'proposed') <> 'rejected' }
  AND NOT EXISTS { MATCH (t:Task)-[d:DERIVED_FROM]->(:Section)-[:CONTAINS*1..3]->(u)
                   WHERE t.doc_id = lo.id AND coalesce(t.scope, 'plan') <> 'notice' AND coalesce(d.status, 'proposed') <> 'rejected' }
RETURN u.id AS upper, up.id AS upper_doc, lo.id AS lower_doc, u.number AS number, u.text_norm AS text
ORDER BY lower_doc, upper_doc, upper
