// neighbourhood: what surrounds $entity? Every claim between entities within $depth hops of it
// (either direction), one row per claim, claims among its neighbours included; ring is the
// farther end's distance from $entity.
// The search is breadth-first, one CALL per hop (unrolled to depth 4).
// Parameters: $entity (entity id), $depth (1..4),
//             $min_status_rank (0 refuted .. 6 confirmed, or null), $as_of ('YYYY-MM-DD' or null).
//             $graph: the graph read (claimgraph neo4j push --graph NAME; 'default' when not named).
MATCH (e:Entity {id: $entity})
WITH [e] AS seen, [e] AS frontier, [{n: e, d: 0}] AS reached
CALL (seen, frontier) {  // hop 1
  UNWIND frontier AS y
  MATCH (y)-[r]-(z:Entity)
  WHERE 1 <= $depth AND NOT z IN seen
    AND r.claim_id IS NOT NULL
    AND r.status_rank >= coalesce($min_status_rank, 0) AND r.claimgraph_graph = $graph
    AND ($as_of IS NULL OR (coalesce(r.holds_from <= date($as_of), $include_undated)
                            AND (r.holds_until IS NULL OR r.holds_until >= date($as_of))))
    AND ($known_on IS NULL OR r.on_record_from <= date($known_on))  // time: docs/time.md; $include_undated true/false, $known_on 'YYYY-MM-DD' or null
  RETURN collect(DISTINCT z) AS next
}
WITH seen + next AS seen, next AS frontier, reached + [n IN next | {n: n, d: 1}] AS reached
CALL (seen, frontier) {  // hop 2
  UNWIND frontier AS y
  MATCH (y)-[r]-(z:Entity)
  WHERE 2 <= $depth AND NOT z IN seen
    AND r.claim_id IS NOT NULL
    AND r.status_rank >= coalesce($min_status_rank, 0) AND r.claimgraph_graph = $graph
    AND ($as_of IS NULL OR (coalesce(r.holds_from <= date($as_of), $include_undated)
                            AND (r.holds_until IS NULL OR r.holds_until >= date($as_of))))
    AND ($known_on IS NULL OR r.on_record_from <= date($known_on))
  RETURN collect(DISTINCT z) AS next
}
WITH seen + next AS seen, next AS frontier, reached + [n IN next | {n: n, d: 2}] AS reached
CALL (seen, frontier) {  // hop 3
  UNWIND frontier AS y
  MATCH (y)-[r]-(z:Entity)
  WHERE 3 <= $depth AND NOT z IN seen
    AND r.claim_id IS NOT NULL
    AND r.status_rank >= coalesce($min_status_rank, 0) AND r.claimgraph_graph = $graph
    AND ($as_of IS NULL OR (coalesce(r.holds_from <= date($as_of), $include_undated)
                            AND (r.holds_until IS NULL OR r.holds_until >= date($as_of))))
    AND ($known_on IS NULL OR r.on_record_from <= date($known_on))
  RETURN collect(DISTINCT z) AS next
}
WITH seen + next AS seen, next AS frontier, reached + [n IN next | {n: n, d: 3}] AS reached
CALL (seen, frontier) {  // hop 4
  UNWIND frontier AS y
  MATCH (y)-[r]-(z:Entity)
  WHERE 4 <= $depth AND NOT z IN seen
    AND r.claim_id IS NOT NULL
    AND r.status_rank >= coalesce($min_status_rank, 0) AND r.claimgraph_graph = $graph
    AND ($as_of IS NULL OR (coalesce(r.holds_from <= date($as_of), $include_undated)
                            AND (r.holds_until IS NULL OR r.holds_until >= date($as_of))))
    AND ($known_on IS NULL OR r.on_record_from <= date($known_on))
  RETURN collect(DISTINCT z) AS next
}
WITH seen + next AS seen, next AS frontier, reached + [n IN next | {n: n, d: 4}] AS reached
UNWIND reached AS y
WITH reached, seen, y.n AS u, y.d AS du
MATCH (u)-[r]->(v:Entity)
WHERE v IN seen
  AND r.claim_id IS NOT NULL
  AND r.status_rank >= coalesce($min_status_rank, 0) AND r.claimgraph_graph = $graph
  AND ($as_of IS NULL OR (coalesce(r.holds_from <= date($as_of), $include_undated)
                          AND (r.holds_until IS NULL OR r.holds_until >= date($as_of))))
  AND ($known_on IS NULL OR r.on_record_from <= date($known_on))
WITH u, du, r, v, [k IN reached WHERE k.n = v][0].d AS dv
RETURN CASE WHEN du > dv THEN du ELSE dv END AS ring, r.claim_id AS claim_id,
       u.id AS subject, u.name AS subject_name, type(r) AS predicate,
       v.id AS object, v.name AS object_name, r.status AS status,
       [r.claim_id] AS claim_ids, r.source_ids AS source_ids
ORDER BY ring, claim_id
