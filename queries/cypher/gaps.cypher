// Coverage gaps: upper requirements a lower document was expected to take up and no task of it derives from.
// Same answer as queries.gaps.coverage(G) rows with status "gap" (README, "Coverage analysis"):
// * a requirement: a plan task (not a cover notice's point) whose clause is an obligation, not the purpose,
//   manner or penalty clause beside one (loaders/clauses.py);
// * expected: the lower document's issuer, or a collective covering it (MEMBER_OF), is one of the task's
//   own units; or the task names no unit, is not addressed to a national body only, and the tiers its text
//   addresses (addressed_to; none: every tier) include the lower issuer's tier;
// * the lower document can show it: a whole plan (not an interpretation, a cover notice or a truncated
//   opening), of a known level, compared with its own parent level (parent_level; a skip-level pair is
//   not_assessable or judged on the plan between);
// * no plan task of the lower document derives from it, nor from a section whose only requirement asked
//   below the national level it is; rejected links do not count.
// Tasks are matched to their document by doc_id (the same tasks as its CONTAINS paths, 50× faster).
MATCH (lo:Document)-[:IMPLEMENTS]->(up:Document), (u:Task)
WHERE u.doc_id = up.id
  AND coalesce(u.scope, 'plan') <> 'notice'
  AND coalesce(u.clause, 'obligation') = 'obligation'
  AND NOT coalesce(lo.kind, 'plan') IN ['interpretation', 'notice']
  AND NOT coalesce(lo.truncated, false)
  AND lo.parent_level IS NOT NULL AND up.level IS NOT NULL AND (lo.parent_level = up.level OR up.level = 'department')
  AND ((EXISTS { MATCH (u)-[a:ASSIGNED_TO]->(:Unit) WHERE a.`column` = 'own' }
        AND (EXISTS { MATCH (lo)-[:ISSUED_BY]->(i:Unit), (u)-[a:ASSIGNED_TO]->(x:Unit) WHERE a.`column` = 'own' AND x.id = i.id }
             OR EXISTS { MATCH (lo)-[:ISSUED_BY]->(:Unit)-[:MEMBER_OF*1..3]->(x:Unit)<-[a:ASSIGNED_TO]-(u) WHERE a.`column` = 'own' }))
       OR (NOT EXISTS { MATCH (u)-[a:ASSIGNED_TO]->(:Unit) WHERE a.`column` = 'own' }
           AND NOT coalesce(u.text_norm, '') =~ '^(?:为[^,,。]{0,20}[,,])?(国务院有关主管部门|国务院有关部门|国务院各部门|国务院部门|国务院行政复议机构|中国政府网|尚未发布[^,,。]{0,30}的国务院部门|已发布[^,,。]{0,30}的国务院部门).*'
           AND (u.addressed_to IS NULL OR size(u.addressed_to) = 0 OR lo.tier IS NULL OR lo.tier IN u.addressed_to)))
  AND NOT EXISTS { MATCH (t:Task)-[d:DERIVED_FROM]->(u)
                   WHERE t.doc_id = lo.id AND coalesce(t.scope, 'plan') <> 'notice' AND coalesce(d.status, 'proposed') <> 'rejected' }
  AND NOT EXISTS { MATCH (t:Task)-[d:DERIVED_FROM]->(s:Section)-[:CONTAINS*1..3]->(u)
                   WHERE t.doc_id = lo.id AND coalesce(t.scope, 'plan') <> 'notice' AND coalesce(d.status, 'proposed') <> 'rejected'
                     AND NOT coalesce(u.text_norm, '') =~ '^(?:为[^,,。]{0,20}[,,])?(国务院有关主管部门|国务院有关部门|国务院各部门|国务院部门|国务院行政复议机构|中国政府网|尚未发布[^,,。]{0,30}的国务院部门|已发布[^,,。]{0,30}的国务院部门).*'
                     AND COUNT { MATCH (s)-[:CONTAINS*1..3]->(x:Task)
                                 WHERE coalesce(x.scope, 'plan') <> 'notice' AND coalesce(x.clause, 'obligation') = 'obligation'
                                   AND NOT coalesce(x.text_norm, '') =~ '^(?:为[^,,。]{0,20}[,,])?(国务院有关主管部门|国务院有关部门|国务院各部门|国务院部门|国务院行政复议机构|中国政府网|尚未发布[^,,。]{0,30}的国务院部门|已发布[^,,。]{0,30}的国务院部门).*' } = 1 }
RETURN u.id AS upper, up.id AS upper_doc, lo.id AS lower_doc, u.number AS number, u.text_norm AS text
ORDER BY lower_doc, upper_doc, upper
