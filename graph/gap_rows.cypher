// The definition of a coverage gap: the store's Gap rows (graph/gap_rows.py), copied from this query once the
// graph is loaded into the embedded database; the saved query queries/cypher/gaps.cypher pages those rows.
// Upper requirements a lower document was expected to take up and no task of it derives from.
// Same answer as queries.gaps.coverage(G) rows with status "gap" (README, "Coverage analysis"):
// * a requirement: a plan task (not a cover notice's point) whose clause is an obligation, not the purpose,
//   manner or penalty clause beside one (loaders/clauses.py);
// * expected: the lower document's issuer, or a collective covering it (MEMBER_OF), is one of the task's
//   own units (but not only a collective covering it when the text's work is in the lower governments the
//   units also name: lower_work_governments, loaders/lower_work.py); or the task names no unit, is not addressed to a national body only (national_only), and
//   the tiers its text addresses (addressed_to; none: every tier) include the lower issuer's tier;
// * the lower document can show it: a whole plan (not an interpretation, a cover notice or a truncated
//   opening), of a known level, compared with its own parent level (parent_level; a skip-level pair is
//   not_assessable or judged on the plan between), or with a plan further up, no plan between held, on
//   the requirements whose own units name its issuer or a collective covering it (a province's
//   各市、县人民政府 names the county: MEMBER_OF, graph/membership.py);
// * no plan task of the lower document derives from it, nor from a section whose only requirement it is
//   (sole_requirement); rejected links do not count.
// Portable Cypher (FalkorDB runs it as the embedded store does): no subqueries and no regular
// expressions, but properties the build computes (Task.own_units, national_only; Section.sole_requirement).
// Run whole it is seconds at a nation-year (the engine joins whole tables whatever the documents asked),
// which is why the store keeps its rows; `id` is the row's key (graph.gap_rows.gap_id).
// At a nation-year's million (requirement, lower plan) pairs, who the lower plan is (issuers, actors) is
// collected once per plan; whether it took a requirement up is asked from the requirement's own incoming
// links (an anti-join: count 0), not from lists of what each plan took up carried through the joins, which
// cost the engine a third more (1M tasks: 22.2 -> 15.5 CPU s, the same 102,822 rows in the same order).
// Tasks are matched to their document by doc_id (indexed; 50× faster than the CONTAINS paths).
MATCH (lo:Document)-[:IMPLEMENTS]->(up:Document)
WHERE NOT coalesce(lo.kind, 'plan') IN ['interpretation', 'notice']
  AND NOT coalesce(lo.truncated, false)
  AND lo.parent_level IS NOT NULL AND up.level IS NOT NULL
WITH lo, up, lo.parent_level = up.level OR up.level = 'department' AS parent
// a skip-level pair whose plan between is held is judged on that plan (not_applicable here)
OPTIONAL MATCH (lo)-[:IMPLEMENTS]->(m:Document)-[:IMPLEMENTS*1..6]->(up)
WHERE NOT parent AND m.id <> up.id
WITH lo, up, parent, count(m) AS held
WHERE parent OR held = 0
OPTIONAL MATCH (lo)-[:ISSUED_BY]->(i:Unit)
OPTIONAL MATCH (i)-[:MEMBER_OF*1..3]->(c:Unit)
WITH lo, up, parent, collect(DISTINCT i.id) AS issuers, collect(DISTINCT i.id) + collect(DISTINCT c.id) AS actors
MATCH (u:Task)
WHERE u.doc_id = up.id AND coalesce(u.scope, 'plan') <> 'notice' AND coalesce(u.clause, 'obligation') = 'obligation'
  AND ((size(u.own_units) > 0 AND any(v IN u.own_units WHERE v IN actors)
        AND NOT (any(g IN coalesce(u.lower_work_governments, []) WHERE NOT g IN actors)
                 AND all(h IN u.own_units WHERE NOT h IN actors
                         OR (NOT h IN issuers AND NOT h IN coalesce(u.lower_work_governments, [])))))
       OR (parent AND size(u.own_units) = 0 AND NOT coalesce(u.national_only, false)
           AND (u.addressed_to IS NULL OR size(u.addressed_to) = 0 OR lo.tier IS NULL OR lo.tier IN u.addressed_to)))
OPTIONAL MATCH (t:Task)-[d:DERIVED_FROM]->(u)
WHERE t.doc_id = lo.id AND coalesce(t.scope, 'plan') <> 'notice' AND coalesce(d.status, 'proposed') <> 'rejected'
WITH lo, up, u, count(t) AS direct
WHERE direct = 0
OPTIONAL MATCH (t:Task)-[d:DERIVED_FROM]->(s:Section)
WHERE s.sole_requirement = u.id AND s.doc_id = up.id AND t.doc_id = lo.id
  AND coalesce(t.scope, 'plan') <> 'notice' AND coalesce(d.status, 'proposed') <> 'rejected'
WITH lo, up, u, count(t) AS by_section
WHERE by_section = 0
RETURN lo.id + '|' + u.id AS id, u.id AS upper, up.id AS upper_doc, lo.id AS lower_doc, u.number AS number, u.text_norm AS text,
       up.level AS upper_level, lo.level AS lower_level, lo.region AS lower_region, lo.year AS lower_year,
       lo.title AS lower_title, lo.issuer AS lower_issuer
ORDER BY lower_doc, upper_doc, upper
