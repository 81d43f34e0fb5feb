// dependencies: what does $entity depend on upstream, hop by hop up to $depth? A dependent
// depends on the other end of every claim whose predicate has the dependency role, when that
// end is upstream ($dependency_upstream: built in, the object of DEVELOPS, USES and BUILT_ON, the
// subject of MAKES, SUPPLIES, LEASES_TO and MANUFACTURES_FOR); $entity also depends on what it
// makes itself (the maker role's own: MAKES, read "makes").
// The search goes on only from what a followed hop reached ($dependency_follow: what the
// dependent develops, uses or is built on, and $entity's own products): a maker or supplier
// ends the chain, so its other products are not listed (a supplier's catalogue is not the
// entity's). A dependency of a kind with the product role ($product_kinds: Chip, Product) lists
// its makers other than $entity (the maker role: the subject of MAKES, or of MANUFACTURES_FOR
// whose q_product names it; $maker_product); single_source marks a single point of failure:
// exactly one maker, whose claims then join the row's claim_ids. spans: when each of the hop's
// claims holds (holds_from, holds_until; null holds_from: undated).
// The search is breadth-first with the hop written once (one round per hop, in a reduce), so
// each dependent's depth is its shortest distance from $entity. (The Python side adds each
// row's via, the chain of followed hops from $entity, from these rows.)
// Parameters: $entity (entity id), $depth (hops, 1..8), the vocabulary's roles
//             ($dependency_upstream, $dependency_relation, $dependency_follow, $maker_product,
//             $maker_own, $product_kinds), $min_status_rank (0 refuted .. 6 confirmed, or null),
//             $as_of ('YYYY-MM-DD' or null), $include_undated, $known_on ('YYYY-MM-DD' or null).
//             $graph: the graph read (claimgraph neo4j push --graph NAME; 'default' when not named).
MATCH (e:Entity {id: $entity})
CALL () {  // maker claims that name their product in a qualifier (read once, not per product)
  MATCH (:Entity)-[mk]->(:Entity)
  WHERE type(mk) IN $maker_predicates AND $maker_product[type(mk)] <> 'object'
    AND mk.status_rank >= coalesce($min_status_rank, 0) AND mk.claimgraph_graph = $graph
    AND ($as_of IS NULL OR (coalesce(mk.holds_from <= date($as_of), $include_undated)
                            AND (mk.holds_until IS NULL OR mk.holds_until >= date($as_of))))
    AND ($known_on IS NULL OR mk.on_record_from <= date($known_on))
  RETURN collect(mk) AS named_makers
}
// breadth-first, one round per hop: a round's frontier is what the previous one reached first
// through a followed hop (what it reached only through a maker or supplier is an end)
WITH e, named_makers,
     reduce(bfs = {seen: [e], frontier: [e], reached: [{n: e, d: 0}]}, d IN range(1, $depth - 1) |
       head([found IN [reduce(found = [], y IN bfs.frontier | found + [(y)-[r]-(z:Entity)
           WHERE (type(r) IN $dependency_predicates OR (y = e AND $maker_own[type(r)] IS NOT NULL))
             AND NOT z IN bfs.seen
             AND r.claim_id IS NOT NULL
             AND r.status_rank >= coalesce($min_status_rank, 0) AND r.claimgraph_graph = $graph
             AND ($as_of IS NULL OR (coalesce(r.holds_from <= date($as_of), $include_undated)
                                     AND (r.holds_until IS NULL OR r.holds_until >= date($as_of))))
             AND ($known_on IS NULL OR r.on_record_from <= date($known_on))
             AND ((startNode(r) = y AND $dependency_upstream[type(r)] = 'object')
               OR (endNode(r) = y AND $dependency_upstream[type(r)] = 'subject')
               OR (y = e AND startNode(r) = e AND $maker_own[type(r)] IS NOT NULL))
           | {z: z, f: coalesce($dependency_follow[type(r)], false)
                       OR (y = e AND startNode(r) = e AND $maker_own[type(r)] IS NOT NULL)}])]
       | head([next IN [reduce(new = [], h IN [x IN found WHERE x.f] | CASE WHEN h.z IN new THEN new ELSE new + h.z END)]
       | {seen: bfs.seen + [h IN found | h.z], frontier: next,
          reached: bfs.reached + [n IN next | {n: n, d: d}]}])])) AS bfs
UNWIND bfs.reached AS y
WITH e, named_makers, y.n AS yn, y.d AS yd
MATCH (yn)-[r]-(z:Entity)
WHERE (type(r) IN $dependency_predicates OR (yn = e AND $maker_own[type(r)] IS NOT NULL))
  AND z <> e AND r.claim_id IS NOT NULL
  AND r.status_rank >= coalesce($min_status_rank, 0) AND r.claimgraph_graph = $graph
  AND ($as_of IS NULL OR (coalesce(r.holds_from <= date($as_of), $include_undated)
                          AND (r.holds_until IS NULL OR r.holds_until >= date($as_of))))
  AND ($known_on IS NULL OR r.on_record_from <= date($known_on))
  AND ((startNode(r) = yn AND $dependency_upstream[type(r)] = 'object')
    OR (endNode(r) = yn AND $dependency_upstream[type(r)] = 'subject')
    OR (yn = e AND startNode(r) = e AND $maker_own[type(r)] IS NOT NULL))
WITH e, named_makers, yn, yd, z, type(r) AS predicate, collect(r) AS rs
WITH e, named_makers, yn, yd, z, predicate, rs,
     yn = e AND startNode(head(rs)) = e AND $maker_own[predicate] IS NOT NULL AS mine
WITH e, yn, yd, z, predicate, rs, mine,
     CASE WHEN z.kind IN $product_kinds THEN COLLECT {
       MATCH (m:Entity)-[mk]->(z)
       WHERE $maker_product[type(mk)] = 'object' AND m <> e
         AND mk.status_rank >= coalesce($min_status_rank, 0) AND mk.claimgraph_graph = $graph
         AND ($as_of IS NULL OR (coalesce(mk.holds_from <= date($as_of), $include_undated)
                                 AND (mk.holds_until IS NULL OR mk.holds_until >= date($as_of))))
         AND ($known_on IS NULL OR mk.on_record_from <= date($known_on))
       RETURN mk
     } + [mk IN named_makers WHERE mk['q_' + $maker_product[type(mk)]] = z.id AND startNode(mk) <> e]
     ELSE [] END AS maker_claims
WITH yn, yd, z, predicate, rs, mine, maker_claims,
     reduce(s = [], mk IN maker_claims | CASE WHEN startNode(mk).id IN s THEN s ELSE s + startNode(mk).id END) AS makers
RETURN yd + 1 AS depth, yn.id AS dependent, yn.name AS dependent_name, predicate,
       CASE WHEN mine THEN $maker_own[predicate] ELSE $dependency_relation[predicate] END AS relation,
       z.id AS dependency, z.name AS dependency_name, z.kind AS dependency_kind,
       makers, size(makers) = 1 AS single_source,
       reduce(x = head(rs), r IN rs | CASE WHEN r.status_rank > x.status_rank THEN r ELSE x END).status AS status,
       mine OR coalesce($dependency_follow[predicate], false) AS followed,
       [r IN rs | {claim_id: r.claim_id, start: r.holds_from, end: r.holds_until}] AS spans,
       [r IN rs + CASE WHEN size(makers) = 1 THEN maker_claims ELSE [] END | r.claim_id] AS claim_ids,
       reduce(s = [], r IN rs + CASE WHEN size(makers) = 1 THEN maker_claims ELSE [] END | s + r.source_ids) AS source_ids
ORDER BY depth, dependent, dependency, predicate
