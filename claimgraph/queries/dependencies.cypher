// dependencies: what does $entity depend on upstream, hop by hop up to $depth? A dependent
// depends on what it DEVELOPS, USES or is BUILT_ON, and on whoever MAKES, SUPPLIES, LEASES_TO or
// MANUFACTURES_FOR it. A Chip or Product dependency lists its makers (MAKES, or MANUFACTURES_FOR
// with q_product); single_source marks a single point of failure: exactly one maker, whose
// claims then join the row's claim_ids.
// The search is breadth-first, one CALL per hop (unrolled to depth 8), so each dependent's depth
// is its shortest distance from $entity.
// Parameters: $entity (entity id), $depth (hops, 1..8),
//             $min_status_rank (0 refuted .. 6 confirmed, or null), $as_of ('YYYY-MM-DD' or null).
MATCH (e:Entity {id: $entity})
WITH [e] AS seen, [e] AS frontier, [{n: e, d: 0}] AS reached
CALL (seen, frontier) {  // hop 1
  UNWIND frontier AS y
  MATCH (y)-[r]-(z:Entity)
  WHERE 1 < $depth AND NOT z IN seen
    AND r.claim_id IS NOT NULL
    AND r.status_rank >= coalesce($min_status_rank, 0)
    AND ($as_of IS NULL OR (coalesce(r.holds_from <= date($as_of), $include_undated)
                            AND (r.holds_until IS NULL OR r.holds_until >= date($as_of))))
    AND ($known_on IS NULL OR r.on_record_from <= date($known_on))  // time: docs/time.md; $include_undated true/false, $known_on 'YYYY-MM-DD' or null
    AND ((startNode(r) = y AND type(r) IN ['DEVELOPS', 'USES', 'BUILT_ON'])
      OR (endNode(r) = y AND type(r) IN ['MAKES', 'SUPPLIES', 'LEASES_TO', 'MANUFACTURES_FOR']))
  RETURN collect(DISTINCT z) AS next
}
WITH seen + next AS seen, next AS frontier, reached + [n IN next | {n: n, d: 1}] AS reached
CALL (seen, frontier) {  // hop 2
  UNWIND frontier AS y
  MATCH (y)-[r]-(z:Entity)
  WHERE 2 < $depth AND NOT z IN seen
    AND r.claim_id IS NOT NULL
    AND r.status_rank >= coalesce($min_status_rank, 0)
    AND ($as_of IS NULL OR (coalesce(r.holds_from <= date($as_of), $include_undated)
                            AND (r.holds_until IS NULL OR r.holds_until >= date($as_of))))
    AND ($known_on IS NULL OR r.on_record_from <= date($known_on))
    AND ((startNode(r) = y AND type(r) IN ['DEVELOPS', 'USES', 'BUILT_ON'])
      OR (endNode(r) = y AND type(r) IN ['MAKES', 'SUPPLIES', 'LEASES_TO', 'MANUFACTURES_FOR']))
  RETURN collect(DISTINCT z) AS next
}
WITH seen + next AS seen, next AS frontier, reached + [n IN next | {n: n, d: 2}] AS reached
CALL (seen, frontier) {  // hop 3
  UNWIND frontier AS y
  MATCH (y)-[r]-(z:Entity)
  WHERE 3 < $depth AND NOT z IN seen
    AND r.claim_id IS NOT NULL
    AND r.status_rank >= coalesce($min_status_rank, 0)
    AND ($as_of IS NULL OR (coalesce(r.holds_from <= date($as_of), $include_undated)
                            AND (r.holds_until IS NULL OR r.holds_until >= date($as_of))))
    AND ($known_on IS NULL OR r.on_record_from <= date($known_on))
    AND ((startNode(r) = y AND type(r) IN ['DEVELOPS', 'USES', 'BUILT_ON'])
      OR (endNode(r) = y AND type(r) IN ['MAKES', 'SUPPLIES', 'LEASES_TO', 'MANUFACTURES_FOR']))
  RETURN collect(DISTINCT z) AS next
}
WITH seen + next AS seen, next AS frontier, reached + [n IN next | {n: n, d: 3}] AS reached
CALL (seen, frontier) {  // hop 4
  UNWIND frontier AS y
  MATCH (y)-[r]-(z:Entity)
  WHERE 4 < $depth AND NOT z IN seen
    AND r.claim_id IS NOT NULL
    AND r.status_rank >= coalesce($min_status_rank, 0)
    AND ($as_of IS NULL OR (coalesce(r.holds_from <= date($as_of), $include_undated)
                            AND (r.holds_until IS NULL OR r.holds_until >= date($as_of))))
    AND ($known_on IS NULL OR r.on_record_from <= date($known_on))
    AND ((startNode(r) = y AND type(r) IN ['DEVELOPS', 'USES', 'BUILT_ON'])
      OR (endNode(r) = y AND type(r) IN ['MAKES', 'SUPPLIES', 'LEASES_TO', 'MANUFACTURES_FOR']))
  RETURN collect(DISTINCT z) AS next
}
WITH seen + next AS seen, next AS frontier, reached + [n IN next | {n: n, d: 4}] AS reached
CALL (seen, frontier) {  // hop 5
  UNWIND frontier AS y
  MATCH (y)-[r]-(z:Entity)
  WHERE 5 < $depth AND NOT z IN seen
    AND r.claim_id IS NOT NULL
    AND r.status_rank >= coalesce($min_status_rank, 0)
    AND ($as_of IS NULL OR (coalesce(r.holds_from <= date($as_of), $include_undated)
                            AND (r.holds_until IS NULL OR r.holds_until >= date($as_of))))
    AND ($known_on IS NULL OR r.on_record_from <= date($known_on))
    AND ((startNode(r) = y AND type(r) IN ['DEVELOPS', 'USES', 'BUILT_ON'])
      OR (endNode(r) = y AND type(r) IN ['MAKES', 'SUPPLIES', 'LEASES_TO', 'MANUFACTURES_FOR']))
  RETURN collect(DISTINCT z) AS next
}
WITH seen + next AS seen, next AS frontier, reached + [n IN next | {n: n, d: 5}] AS reached
CALL (seen, frontier) {  // hop 6
  UNWIND frontier AS y
  MATCH (y)-[r]-(z:Entity)
  WHERE 6 < $depth AND NOT z IN seen
    AND r.claim_id IS NOT NULL
    AND r.status_rank >= coalesce($min_status_rank, 0)
    AND ($as_of IS NULL OR (coalesce(r.holds_from <= date($as_of), $include_undated)
                            AND (r.holds_until IS NULL OR r.holds_until >= date($as_of))))
    AND ($known_on IS NULL OR r.on_record_from <= date($known_on))
    AND ((startNode(r) = y AND type(r) IN ['DEVELOPS', 'USES', 'BUILT_ON'])
      OR (endNode(r) = y AND type(r) IN ['MAKES', 'SUPPLIES', 'LEASES_TO', 'MANUFACTURES_FOR']))
  RETURN collect(DISTINCT z) AS next
}
WITH seen + next AS seen, next AS frontier, reached + [n IN next | {n: n, d: 6}] AS reached
CALL (seen, frontier) {  // hop 7
  UNWIND frontier AS y
  MATCH (y)-[r]-(z:Entity)
  WHERE 7 < $depth AND NOT z IN seen
    AND r.claim_id IS NOT NULL
    AND r.status_rank >= coalesce($min_status_rank, 0)
    AND ($as_of IS NULL OR (coalesce(r.holds_from <= date($as_of), $include_undated)
                            AND (r.holds_until IS NULL OR r.holds_until >= date($as_of))))
    AND ($known_on IS NULL OR r.on_record_from <= date($known_on))
    AND ((startNode(r) = y AND type(r) IN ['DEVELOPS', 'USES', 'BUILT_ON'])
      OR (endNode(r) = y AND type(r) IN ['MAKES', 'SUPPLIES', 'LEASES_TO', 'MANUFACTURES_FOR']))
  RETURN collect(DISTINCT z) AS next
}
WITH seen + next AS seen, next AS frontier, reached + [n IN next | {n: n, d: 7}] AS reached
UNWIND reached AS y
WITH head(reached).n AS e, y.n AS yn, y.d AS yd
MATCH (yn)-[r]-(z:Entity)
WHERE z <> e AND r.claim_id IS NOT NULL
  AND r.status_rank >= coalesce($min_status_rank, 0)
  AND ($as_of IS NULL OR (coalesce(r.holds_from <= date($as_of), $include_undated)
                          AND (r.holds_until IS NULL OR r.holds_until >= date($as_of))))
  AND ($known_on IS NULL OR r.on_record_from <= date($known_on))
  AND ((startNode(r) = yn AND type(r) IN ['DEVELOPS', 'USES', 'BUILT_ON'])
    OR (endNode(r) = yn AND type(r) IN ['MAKES', 'SUPPLIES', 'LEASES_TO', 'MANUFACTURES_FOR']))
WITH yn, yd, z, type(r) AS predicate, collect(r) AS rs
WITH yn, yd, z, predicate, rs,
     CASE WHEN z:Chip OR z:Product THEN COLLECT {
       MATCH (m:Entity)-[mk:MAKES|MANUFACTURES_FOR]->(o:Entity)
       WHERE ((type(mk) = 'MAKES' AND o = z) OR (type(mk) = 'MANUFACTURES_FOR' AND mk.q_product = z.id))
         AND mk.status_rank >= coalesce($min_status_rank, 0)
         AND ($as_of IS NULL OR (coalesce(mk.holds_from <= date($as_of), $include_undated)
                                 AND (mk.holds_until IS NULL OR mk.holds_until >= date($as_of))))
         AND ($known_on IS NULL OR mk.on_record_from <= date($known_on))
       RETURN mk
     } ELSE [] END AS maker_claims
WITH yn, yd, z, predicate, rs, maker_claims,
     reduce(s = [], mk IN maker_claims | CASE WHEN startNode(mk).id IN s THEN s ELSE s + startNode(mk).id END) AS makers
RETURN yd + 1 AS depth, yn.id AS dependent, yn.name AS dependent_name, predicate,
       CASE predicate WHEN 'DEVELOPS' THEN 'develops' WHEN 'USES' THEN 'uses'
                      WHEN 'BUILT_ON' THEN 'built on' WHEN 'MAKES' THEN 'made by'
                      WHEN 'SUPPLIES' THEN 'supplied by' WHEN 'LEASES_TO' THEN 'leases from'
                      ELSE 'manufactured by' END AS relation,
       z.id AS dependency, z.name AS dependency_name, z.kind AS dependency_kind,
       makers, size(makers) = 1 AS single_source,
       reduce(x = head(rs), r IN rs | CASE WHEN r.status_rank > x.status_rank THEN r ELSE x END).status AS status,
       [r IN rs + CASE WHEN size(makers) = 1 THEN maker_claims ELSE [] END | r.claim_id] AS claim_ids,
       reduce(s = [], r IN rs + CASE WHEN size(makers) = 1 THEN maker_claims ELSE [] END | s + r.source_ids) AS source_ids
ORDER BY depth, dependent, dependency, predicate
