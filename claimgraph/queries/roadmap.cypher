// roadmap: the facts behind $entity's roadmap, in one record: its generations (what it DEVELOPS
// of the kinds in $kinds), their milestone dates (REACHES_MILESTONE and its milestone qualifier),
// the SUCCEEDS claims between two of them, the cadences it claims (HAS_CADENCE, in $units) with
// who asserted them, and who leads it (LEADS: their cadence claims count as its own).
// claimgraph orders the generations along SUCCEEDS, compares like milestones, judges which
// dates are measured and writes the verdict in Python (claimgraph.queries.roadmap.assemble),
// the same code for both backends. The predicates are the vocabulary's roles: generation
// ($generation_predicates), succession ($succession_predicates), milestone ($milestone_predicates,
// $milestone_stage: predicate -> the qualifier naming the milestone), cadence
// ($cadence_predicates), group ($group_predicates, $group_leader: predicate -> the leader's side)
// and the measure qualifiers ($measure_qualifiers: what a cadence measures).
// Parameters: $entity (entity id), $kinds (list of kinds, e.g. ['Chip']), $units (e.g.
//             ['months', 'years', 'days']), the vocabulary's roles, $min_status_rank (0 refuted
//             .. 6 confirmed, or null), $as_of ('YYYY-MM-DD' or null), $include_undated
//             (true/false), $known_on ('YYYY-MM-DD' or null); time: docs/time.md.
//             $graph: the graph read (claimgraph neo4j push --graph NAME; 'default' when not named).
MATCH (e:Entity {id: $entity})
OPTIONAL MATCH (e)-[d]->(x:Entity)
WHERE type(d) IN $generation_predicates
  AND x.kind IN $kinds
  AND d.status_rank >= coalesce($min_status_rank, 0) AND d.claimgraph_graph = $graph
  AND ($as_of IS NULL OR (coalesce(d.holds_from <= date($as_of), $include_undated)
                          AND (d.holds_until IS NULL OR d.holds_until >= date($as_of))))
  AND ($known_on IS NULL OR d.on_record_from <= date($known_on))
WITH e, x, collect(d) AS dev
ORDER BY x.id
WITH e, collect(CASE WHEN x IS NOT NULL THEN {x: x, dev: dev} END) AS gens
WITH e, gens, [g IN gens | g.x] AS xs
RETURN e.id AS entity,
  [g IN gens | {id: g.x.id, name: g.x.name, claims: [r IN g.dev | r.claim_id],
                sources: reduce(s = [], r IN g.dev | s + r.source_ids)}] AS generations,
  COLLECT {
    UNWIND xs AS x
    MATCH (x)-[m]->(v:Value)
    WHERE type(m) IN $milestone_predicates
      AND v.date IS NOT NULL
      AND m.status_rank >= coalesce($min_status_rank, 0) AND m.claimgraph_graph = $graph
      AND ($as_of IS NULL OR (coalesce(m.holds_from <= date($as_of), $include_undated)
                              AND (m.holds_until IS NULL OR m.holds_until >= date($as_of))))
      AND ($known_on IS NULL OR m.on_record_from <= date($known_on))
    RETURN {generation: x.id, claim: m.claim_id, milestone: m['q_' + $milestone_stage[type(m)]],
            status: m.status, date: v.date, stated: m.stated_on, tense: m.tense, on: m.on,
            until: m.valid_until, sources: m.source_ids}
  } AS milestones,
  COLLECT {
    UNWIND xs AS x
    MATCH (x)-[s]->(p:Entity)
    WHERE type(s) IN $succession_predicates
      AND p IN xs
      AND s.status_rank >= coalesce($min_status_rank, 0) AND s.claimgraph_graph = $graph
      AND ($as_of IS NULL OR (coalesce(s.holds_from <= date($as_of), $include_undated)
                              AND (s.holds_until IS NULL OR s.holds_until >= date($as_of))))
      AND ($known_on IS NULL OR s.on_record_from <= date($known_on))
    RETURN {subject: x.id, object: p.id, claim: s.claim_id, sources: s.source_ids}
  } AS succession,
  COLLECT {
    MATCH (e)-[c]->(cv:Value)
    WHERE type(c) IN $cadence_predicates
      AND cv.unit IN $units
      AND c.status_rank >= coalesce($min_status_rank, 0) AND c.claimgraph_graph = $graph
      AND ($as_of IS NULL OR (coalesce(c.holds_from <= date($as_of), $include_undated)
                              AND (c.holds_until IS NULL OR c.holds_until >= date($as_of))))
      AND ($known_on IS NULL OR c.on_record_from <= date($known_on))
    RETURN {claim: c.claim_id, status: c.status, stated: c.stated_on, text: cv.text, num: cv.num,
            unit: cv.unit, asserted_by: coalesce(c.asserted_by, []),
            measures: [q IN $measure_qualifiers WHERE c['q_' + q] IS NOT NULL | c['q_' + q]],
            sources: c.source_ids}
  } AS cadences,
  COLLECT {
    MATCH (e)-[l]-(who:Entity)
    WHERE type(l) IN $group_predicates
      AND who <> e
      AND (($group_leader[type(l)] = 'subject' AND startNode(l) = who)
           OR ($group_leader[type(l)] = 'object' AND endNode(l) = who))
      AND l.status_rank >= coalesce($min_status_rank, 0) AND l.claimgraph_graph = $graph
      AND ($as_of IS NULL OR (coalesce(l.holds_from <= date($as_of), $include_undated)
                              AND (l.holds_until IS NULL OR l.holds_until >= date($as_of))))
      AND ($known_on IS NULL OR l.on_record_from <= date($known_on))
    RETURN {id: who.id, claim: l.claim_id, sources: l.source_ids}
  } AS leaders
