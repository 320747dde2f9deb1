// The definition of a not-assessable row (无法判断): the store's NotAssessable rows (graph/not_assessable_rows.py),
// copied from this query once the graph is loaded into the embedded database; the saved query
// queries/cypher/not_assessable.cypher pages those rows.
// Upper requirements a lower document was expected to take up, that no task of it derives from, where its
// text cannot show whether it took them up. Same answer as queries.gaps.coverage(G) rows with status
// "not_assessable" (README, "Not assessable"): the rows the gap definition (graph/gap_rows.cypher) would
// give but for the pairs it leaves out because
// * the lower document is an interpretation (解读), a cover notice without its plan, or a truncated opening
//   (why: interpretation, notice, truncated), or
// * the upper document is not the lower one's own parent level and no plan between them is held (a plan
//   between that is held judges the pair: not_applicable), or a level is not known (why: parent_missing,
//   level_unknown); there a requirement the upper plan gives to the governments below it (各市政府, 各级…)
//   reaches the lower document through the plan between, though no collective of it names the lower issuer
//   (one that names it, 各市、县人民政府 for a county, makes it owed directly: a gap row of a whole plan), or
// * who issued the lower document is not known (no issuer in its text, none in the manifest): a requirement
//   assigned to named units may or may not be its own (why: issuer_unknown, when nothing above applies).
// Expected and taken up exactly as in gap_rows.cypher (read its notes). Portable Cypher; `id` is the row's
// key (graph.not_assessable_rows.not_assessable_id, the gap rows' key).
// The part up to the marker below gives the qualifying pairs of plans (graph.not_assessable_rows.pairs_query):
// a few tens of milliseconds at a nation-year, where the whole definition joins whole tables (1.4-3.6 s
// whatever the pairs), so the bulk load runs the rest only when a pair qualifies, and an incremental build
// asks which pairs qualify before and after its change.
MATCH (lo:Document)-[:IMPLEMENTS]->(up:Document)
WITH lo, up,
     coalesce(lo.kind, 'plan') IN ['interpretation', 'notice'] OR coalesce(lo.truncated, false) AS partial,
     lo.parent_level IS NOT NULL AND up.level IS NOT NULL AND (lo.parent_level = up.level OR up.level = 'department') AS direct
WHERE partial OR NOT direct OR coalesce(lo.issuer, '') = ''
// a skip-level pair whose plan between is held is judged on that plan (not_applicable here)
OPTIONAL MATCH (lo)-[:IMPLEMENTS]->(m:Document)-[:IMPLEMENTS*1..6]->(up)
WHERE m.id <> up.id
WITH lo, up, partial, direct, count(m) AS held
// (a partial lower text too: a truncated county plan owes its city's plan, not the province's directly)
WHERE (direct OR held = 0) AND (partial OR NOT direct OR coalesce(lo.issuer, '') = '')
// -- the qualifying pairs end here
OPTIONAL MATCH (lo)-[:ISSUED_BY]->(i:Unit)
OPTIONAL MATCH (i)-[:MEMBER_OF*1..3]->(c:Unit)
WITH lo, up, NOT direct AS skip, partial, collect(DISTINCT i.id) AS issuers,
     collect(DISTINCT i.id) + collect(DISTINCT c.id) AS actors
OPTIONAL MATCH (t:Task)-[d:DERIVED_FROM]->(x:Task)
WHERE t.doc_id = lo.id AND x.doc_id = up.id AND coalesce(t.scope, 'plan') <> 'notice'
  AND coalesce(d.status, 'proposed') <> 'rejected'
WITH lo, up, skip, partial, issuers, actors, collect(DISTINCT x.id) AS direct
OPTIONAL MATCH (t:Task)-[d:DERIVED_FROM]->(s:Section)
WHERE t.doc_id = lo.id AND s.doc_id = up.id AND s.sole_requirement IS NOT NULL
  AND coalesce(t.scope, 'plan') <> 'notice' AND coalesce(d.status, 'proposed') <> 'rejected'
WITH lo, up, skip, partial, issuers, actors, direct, collect(DISTINCT s.sole_requirement) AS by_section
MATCH (u:Task)
WHERE u.doc_id = up.id AND coalesce(u.scope, 'plan') <> 'notice' AND coalesce(u.clause, 'obligation') = 'obligation'
  AND NOT u.id IN direct AND NOT u.id IN by_section
  AND ((size(u.own_units) > 0 AND size(issuers) = 0)
       OR ((partial OR NOT skip OR lo.parent_level IS NULL OR up.level IS NULL)
           AND size(u.own_units) > 0 AND any(v IN u.own_units WHERE v IN actors)
        AND NOT (any(g IN coalesce(u.lower_work_governments, []) WHERE NOT g IN actors)
                 AND all(h IN u.own_units WHERE NOT h IN actors
                         OR (NOT h IN issuers AND NOT h IN coalesce(u.lower_work_governments, [])))))
       OR (size(u.own_units) = 0 AND NOT coalesce(u.national_only, false)
           AND (u.addressed_to IS NULL OR size(u.addressed_to) = 0 OR lo.tier IS NULL OR lo.tier IN u.addressed_to))
       // a skip-level pair: the upper plan's 各市政府, 各级… pass the work down through the plan between
       // (queries.gaps.reaches_below, read from the unit's id)
       OR (skip AND size(u.own_units) > 0 AND size(issuers) > 0 AND NOT any(v IN u.own_units WHERE v IN actors)
           AND any(v IN u.own_units WHERE v CONTAINS '各'
                   AND (v CONTAINS '各级' OR (v ENDS WITH '政府' AND NOT v CONTAINS '部门')))))
// whether the requirement names the lower issuer or a collective covering it (counted, not asked with
// any(): a quantifier in a RETURN or WITH drops the row on the embedded engine)
UNWIND CASE WHEN size(u.own_units) = 0 THEN [''] ELSE u.own_units END AS v
WITH lo, up, u, skip, count(CASE WHEN v IN actors THEN 1 END) AS hits
RETURN lo.id + '|' + u.id AS id, u.id AS upper, up.id AS upper_doc, lo.id AS lower_doc, u.number AS number,
       u.text_norm AS text, up.level AS upper_level, lo.level AS lower_level, lo.region AS lower_region,
       lo.year AS lower_year, lo.title AS lower_title, lo.issuer AS lower_issuer,
       // a skip-level pair waits for the plan between first (held, it judges the pair), unless the
       // requirement names the lower issuer: owed directly, it waits for the lower text only
       CASE WHEN skip AND lo.parent_level IS NOT NULL AND up.level IS NOT NULL AND hits = 0 THEN 'parent_missing'
            WHEN coalesce(lo.kind, 'plan') IN ['interpretation', 'notice'] THEN lo.kind
            WHEN coalesce(lo.truncated, false) THEN 'truncated'
            WHEN lo.parent_level IS NULL OR up.level IS NULL THEN 'level_unknown'
            WHEN lo.parent_level = up.level OR up.level = 'department' THEN 'issuer_unknown'
            ELSE 'parent_missing' END AS why
ORDER BY lower_doc, upper_doc, upper
