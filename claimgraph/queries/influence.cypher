// influence: the projected graph that betweenness and PageRank are computed on. One row per
// entity with the claims it is the subject of (object entity, claim id, predicate, sources).
// claimgraph computes the scores in Python (networkx/numpy) from these rows; in Neo4j Browser
// this shows the graph the ranking uses. ($limit, the number of ranked entities to keep, and
// $kind, the kinds ranked (default organisations and people), are applied after scoring, in
// Python: the scores need the whole graph, so this query does not read them.)
// Parameters: $min_status_rank (0 refuted .. 6 confirmed, or null), $as_of ('YYYY-MM-DD' or null).
//             $graph: the graph read (claimgraph neo4j push --graph NAME; 'default' when not named).
MATCH (e:Entity)
WHERE $graph IN e.claimgraph_graphs
OPTIONAL MATCH (e)-[r]->(o:Entity)
WHERE r.claim_id IS NOT NULL
  AND r.status_rank >= coalesce($min_status_rank, 0) AND r.claimgraph_graph = $graph
  AND ($as_of IS NULL OR (coalesce(r.holds_from <= date($as_of), $include_undated)
                          AND (r.holds_until IS NULL OR r.holds_until >= date($as_of))))
  AND ($known_on IS NULL OR r.on_record_from <= date($known_on))  // time: docs/time.md; $include_undated true/false, $known_on 'YYYY-MM-DD' or null
RETURN e.id AS id, e.name AS name, e.kind AS kind,
       collect(CASE WHEN r IS NULL THEN null
                    ELSE {to: o.id, claim: r.claim_id, predicate: type(r), sources: r.source_ids} END) AS claims
ORDER BY id
