// roadmap: in what order did $entity's product generations come, when did each reach its
// milestones (announced, taped-out, samples, volume ...), how many months separate a generation
// from the previous one at the same milestone, and what cadence does $entity claim (HAS_CADENCE,
// latest stated first)? Generations are what $entity DEVELOPS of the kinds in $kinds, ordered by
// the latest first-milestone date along their SUCCEEDS line (their own and their predecessors'),
// then by how many generations they succeed; 'previous' is the generation one SUCCEEDS, else the
// one before it. Where milestone claims disagree, the strongest status, then the
// latest stated, then the lowest claim id wins. gap_months is unrounded here. The predicates are
// the vocabulary's roles: generation ($generation_predicates: DEVELOPS), succession
// ($succession_predicates: SUCCEEDS), milestone ($milestone_stage: REACHES_MILESTONE and its
// milestone qualifier) and cadence ($cadence_predicates: HAS_CADENCE).
// Parameters: $entity (entity id), $kinds (list of kinds, e.g. ['Chip']), the vocabulary's roles,
//             $min_status_rank (0 refuted .. 6 confirmed, or null), $as_of ('YYYY-MM-DD' or null).
//             $graph: the graph read (claimgraph neo4j push --graph NAME; 'default' when not named).
MATCH (e:Entity {id: $entity})
WITH e, COLLECT {
  MATCH (e)-[c]->(cv:Value)
  WHERE type(c) IN $cadence_predicates
    AND cv.unit IN ['months', 'years', 'days']
    AND c.status_rank >= coalesce($min_status_rank, 0) AND c.claimgraph_graph = $graph
    AND ($as_of IS NULL OR (coalesce(c.holds_from <= date($as_of), $include_undated)
                            AND (c.holds_until IS NULL OR c.holds_until >= date($as_of))))
    AND ($known_on IS NULL OR c.on_record_from <= date($known_on))  // time: docs/time.md; $include_undated true/false, $known_on 'YYYY-MM-DD' or null
  WITH c, cv ORDER BY coalesce(c.stated_on_start, date('0001-01-01')) DESC, c.status_rank DESC, c.claim_id
  RETURN {claim: c.claim_id, status: c.status, stated: c.stated_on, text: cv.text,
          months: CASE cv.unit WHEN 'years' THEN cv.num * 12 WHEN 'days' THEN cv.num / 30.44 ELSE cv.num END,
          sources: c.source_ids}
} AS cadences
OPTIONAL MATCH (e)-[d]->(x:Entity)
WHERE type(d) IN $generation_predicates
  AND x.kind IN $kinds
  AND d.status_rank >= coalesce($min_status_rank, 0) AND d.claimgraph_graph = $graph
  AND ($as_of IS NULL OR (coalesce(d.holds_from <= date($as_of), $include_undated)
                          AND (d.holds_until IS NULL OR d.holds_until >= date($as_of))))
  AND ($known_on IS NULL OR d.on_record_from <= date($known_on))
WITH cadences, x, collect(d) AS dev
WHERE x IS NOT NULL
WITH cadences, x, dev, COLLECT {
  MATCH (x)-[m]->(v:Value)
  WHERE type(m) IN $milestone_predicates
    AND v.date_start IS NOT NULL
    AND m.status_rank >= coalesce($min_status_rank, 0) AND m.claimgraph_graph = $graph
    AND ($as_of IS NULL OR (coalesce(m.holds_from <= date($as_of), $include_undated)
                            AND (m.holds_until IS NULL OR m.holds_until >= date($as_of))))
    AND ($known_on IS NULL OR m.on_record_from <= date($known_on))
  WITH m, v ORDER BY m.status_rank DESC, coalesce(m.stated_on_start, date('0001-01-01')) DESC, m.claim_id
  RETURN {milestone: m['q_' + $milestone_stage[type(m)]], claim: m.claim_id, status: m.status, date: v.date,
          start: v.date_start, sources: m.source_ids}
} AS all_ms
WITH cadences, x, dev,
     reduce(acc = [], k IN all_ms | CASE WHEN any(a IN acc WHERE a.milestone = k.milestone) THEN acc ELSE acc + k END) AS ms,
     COLLECT {
       MATCH (x) ((a:Entity)-[s]->(b:Entity) WHERE type(s) IN $succession_predicates
        AND s.status_rank >= coalesce($min_status_rank, 0) AND s.claimgraph_graph = $graph
        AND ($as_of IS NULL OR (coalesce(s.holds_from <= date($as_of), $include_undated)
                                AND (s.holds_until IS NULL OR s.holds_until >= date($as_of))))
        AND ($known_on IS NULL OR s.on_record_from <= date($known_on)))+ (p:Entity)
       WHERE p <> x
       RETURN DISTINCT p
     } AS ancestors,
     COLLECT {
       MATCH (x)-[s]->(p:Entity)
       WHERE type(s) IN $succession_predicates
         AND s.status_rank >= coalesce($min_status_rank, 0) AND s.claimgraph_graph = $graph
        AND ($as_of IS NULL OR (coalesce(s.holds_from <= date($as_of), $include_undated)
                                AND (s.holds_until IS NULL OR s.holds_until >= date($as_of))))
        AND ($known_on IS NULL OR s.on_record_from <= date($known_on))
       RETURN p.id
     } AS preds
WITH cadences, x, dev, ms, size(ancestors) AS n_ancestors, preds, COLLECT {
       UNWIND [x] + ancestors AS y
       MATCH (y)-[m]->(v:Value)
       WHERE type(m) IN $milestone_predicates
         AND v.date_start IS NOT NULL
         AND m.status_rank >= coalesce($min_status_rank, 0) AND m.claimgraph_graph = $graph
        AND ($as_of IS NULL OR (coalesce(m.holds_from <= date($as_of), $include_undated)
                                AND (m.holds_until IS NULL OR m.holds_until >= date($as_of))))
        AND ($known_on IS NULL OR m.on_record_from <= date($known_on))
       WITH y, min(v.date_start) AS first
       RETURN first
     } AS firsts
WITH cadences, x, dev, ms, n_ancestors, preds,
     reduce(f = null, d IN firsts | CASE WHEN f IS NULL OR d > f THEN d ELSE f END) AS effective
ORDER BY effective IS NULL, effective, n_ancestors, x.id
WITH cadences, collect({x: x, ms: ms, preds: preds, dev: [r IN dev | r.claim_id],
                        dev_sources: reduce(s = [], r IN dev | s + r.source_ids)}) AS gens
UNWIND range(0, size(gens) - 1) AS i
WITH cadences, gens, i, [j IN range(0, size(gens) - 1) WHERE gens[j].x.id IN gens[i].preds] AS direct
WITH cadences, head(cadences) AS cad, i, gens[i] AS g,
     CASE WHEN size(direct) > 0 THEN gens[last(direct)] WHEN i > 0 THEN gens[i - 1] END AS prev
UNWIND CASE WHEN size(g.ms) = 0 THEN [null] ELSE g.ms END AS k
WITH cadences, cad, i, g, prev, k, [p IN coalesce(prev.ms, []) WHERE p.milestone = k.milestone][0] AS pk
WITH cadences, cad, i, g, prev, k, pk,
     CASE WHEN k IS NULL OR pk IS NULL THEN null
          ELSE (k.start.year - pk.start.year) * 12 + (k.start.month - pk.start.month)
               + (k.start.day - pk.start.day) / 30.44 END AS gap
RETURN i + 1 AS position, g.x.id AS generation, g.x.name AS generation_name,
       k.milestone AS milestone, k.date AS date, k.status AS status,
       prev.x.id AS previous, pk.date AS previous_date, gap AS gap_months,
       cad.months AS cadence_months,
       [c IN cadences | c.text + ' (' + c.status + coalesce(', stated ' + c.stated, '') + ')'] AS claimed_cadences,
       g.dev + [c IN [k.claim, pk.claim] WHERE c IS NOT NULL]
         + CASE WHEN gap IS NOT NULL AND cad IS NOT NULL THEN [cad.claim] ELSE [] END AS claim_ids,
       g.dev_sources + coalesce(k.sources, []) + coalesce(pk.sources, [])
         + CASE WHEN gap IS NOT NULL AND cad IS NOT NULL THEN cad.sources ELSE [] END AS source_ids
ORDER BY position, k.start, milestone
