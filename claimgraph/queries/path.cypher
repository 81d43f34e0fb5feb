// path: what are the shortest chains of claims between $a and $b (either direction, up to 15
// hops)? At most $limit paths, ordered by their entity ids; one row per hop, with every claim
// that ties the hop's two entities and how each reads from the hop's first entity to its second
// (links: '-[P]->' subject to object, '<-[P]-' walked backwards, '-[P]-' symmetric).
// Parameters: $a, $b (entity ids), $limit (paths), $symmetric_predicates (list),
//             $min_status_rank (0 refuted .. 6 confirmed, or null), $as_of ('YYYY-MM-DD' or null).
//             $graph: the graph read (claimgraph neo4j push --graph NAME; 'default' when not named).
MATCH (a:Entity {id: $a}), (b:Entity {id: $b})
MATCH p = allShortestPaths((a)-[rs*..15]-(b))
WHERE all(r IN rs WHERE r.claim_id IS NOT NULL
            AND r.status_rank >= coalesce($min_status_rank, 0) AND r.claimgraph_graph = $graph
            AND ($as_of IS NULL OR (coalesce(r.holds_from <= date($as_of), $include_undated)
                                    AND (r.holds_until IS NULL OR r.holds_until >= date($as_of))))
            AND ($known_on IS NULL OR r.on_record_from <= date($known_on)))
  AND all(n IN nodes(p) WHERE n:Entity)
WITH DISTINCT [n IN nodes(p) | n.id] AS ids
ORDER BY ids
LIMIT $limit
WITH collect(ids) AS paths
UNWIND range(0, size(paths) - 1) AS pi
WITH pi, paths[pi] AS ids
UNWIND range(0, size(ids) - 2) AS hi
MATCH (u:Entity {id: ids[hi]})-[r]-(v:Entity {id: ids[hi + 1]})
WHERE r.claim_id IS NOT NULL
  AND r.status_rank >= coalesce($min_status_rank, 0) AND r.claimgraph_graph = $graph
  AND ($as_of IS NULL OR (coalesce(r.holds_from <= date($as_of), $include_undated)
                          AND (r.holds_until IS NULL OR r.holds_until >= date($as_of))))
  AND ($known_on IS NULL OR r.on_record_from <= date($known_on))  // time: docs/time.md; $include_undated true/false, $known_on 'YYYY-MM-DD' or null
WITH pi, hi, size(ids) - 1 AS length, u, v, collect(r) AS rs
RETURN pi + 1 AS path, hi + 1 AS hop, length, u.id AS from_id, u.name AS from_name,
       v.id AS to_id, v.name AS to_name, [r IN rs | type(r)] AS predicates,
       [r IN rs | CASE WHEN type(r) IN $symmetric_predicates THEN '-[' + type(r) + ']-'
                       WHEN startNode(r) = u THEN '-[' + type(r) + ']->'
                       ELSE '<-[' + type(r) + ']-' END] AS links,
       reduce(x = head(rs), r IN rs | CASE WHEN r.status_rank > x.status_rank THEN r ELSE x END).status AS status,
       [r IN rs | r.claim_id] AS claim_ids,
       reduce(s = [], r IN rs | s + r.source_ids) AS source_ids
ORDER BY path, hop
