// frenemies: which pairs are tied both by cooperative, financial or supply claims ($tie_stances)
// AND by competitive ones ($rivalry_stances)? A pair is two entities, or an entity and a group:
// a Person who LEADS two or more Companies (the group role: $group_leader, $group_members)
// forms the group 'group:<person id>' (Musk's Tesla, SpaceX and xAI). A group row needs claims
// touching at least two of its companies. Both sides' claims are returned, with when each
// holds (spans: holds_from, holds_until; null holds_from: undated); the Python row says from
// them whether the two sides overlap in time (yes / no, and which came first / unknown).
// Parameters: the vocabulary's roles, $min_status_rank (0 refuted .. 6 confirmed, or null),
//             $as_of ('YYYY-MM-DD' or null), $include_undated, $known_on ('YYYY-MM-DD' or null).
//             $graph: the graph read (claimgraph neo4j push --graph NAME; 'default' when not named).
CALL () {
  MATCH (s:Entity)-[l]->(o:Entity)
  WHERE type(l) IN $group_predicates
    AND l.claim_id IS NOT NULL
    AND l.status_rank >= coalesce($min_status_rank, 0) AND l.claimgraph_graph = $graph
    AND ($as_of IS NULL OR (coalesce(l.holds_from <= date($as_of), $include_undated)
                            AND (l.holds_until IS NULL OR l.holds_until >= date($as_of))))
    AND ($known_on IS NULL OR l.on_record_from <= date($known_on))
  WITH l, CASE $group_leader[type(l)] WHEN 'subject' THEN [s, o] ELSE [o, s] END AS ends
  WITH l, ends[0] AS p, ends[1] AS c
  WHERE c.kind IN $group_members[type(l)]
  WITH p, collect(DISTINCT c.id) AS members
  WHERE size(members) >= 2
  RETURN collect({id: 'group:' + p.id, name: p.name + "'s companies", members: members}) AS groups
}
MATCH (x:Entity)-[r]->(y:Entity)
WHERE r.claim_id IS NOT NULL
  AND (r.stance IN $tie_stances OR r.stance IN $rivalry_stances)
  AND r.status_rank >= coalesce($min_status_rank, 0) AND r.claimgraph_graph = $graph
  AND ($as_of IS NULL OR (coalesce(r.holds_from <= date($as_of), $include_undated)
                          AND (r.holds_until IS NULL OR r.holds_until >= date($as_of))))
  AND ($known_on IS NULL OR r.on_record_from <= date($known_on))
WITH r, x, y,
     [{id: x.id, name: x.name, members: [x.id]}] + [g IN groups WHERE x.id IN g.members] AS xs,
     [{id: y.id, name: y.name, members: [y.id]}] + [g IN groups WHERE y.id IN g.members] AS ys
UNWIND xs AS ax
UNWIND ys AS ay
WITH r, x, y, ax, ay
WHERE none(m IN ax.members WHERE m IN ay.members)
WITH r, x, y,
     CASE WHEN ax.id < ay.id THEN ax ELSE ay END AS a,
     CASE WHEN ax.id < ay.id THEN ay ELSE ax END AS b
WITH a, b, collect(r) AS rs, collect(x.id) + collect(y.id) AS touched
WITH a, b, touched,
     [r IN rs WHERE NOT r.stance IN $rivalry_stances] AS coop,
     [r IN rs WHERE r.stance IN $rivalry_stances] AS comp
WHERE size(coop) > 0 AND size(comp) > 0
  AND (NOT a.id STARTS WITH 'group:' OR size([m IN a.members WHERE m IN touched]) >= 2)
  AND (NOT b.id STARTS WITH 'group:' OR size([m IN b.members WHERE m IN touched]) >= 2)
RETURN a.id AS a, a.name AS a_name, a.members AS a_members,
       b.id AS b, b.name AS b_name, b.members AS b_members,
       [r IN coop | r.claim_id] AS cooperative_claim_ids,
       [r IN comp | r.claim_id] AS competitive_claim_ids,
       [r IN coop | type(r)] AS cooperative_predicates,
       [r IN comp | type(r)] AS competitive_predicates,
       reduce(best = head(coop), r IN coop | CASE WHEN r.status_rank > best.status_rank THEN r ELSE best END).status AS strongest_cooperative,
       reduce(best = head(comp), r IN comp | CASE WHEN r.status_rank > best.status_rank THEN r ELSE best END).status AS strongest_competitive,
       [r IN coop | {claim_id: r.claim_id, start: r.holds_from, end: r.holds_until}] AS cooperative_spans,
       [r IN comp | {claim_id: r.claim_id, start: r.holds_from, end: r.holds_until}] AS competitive_spans,
       [r IN coop + comp | r.claim_id] AS claim_ids,
       reduce(s = [], r IN coop + comp | s + r.source_ids) AS source_ids
ORDER BY a, b
