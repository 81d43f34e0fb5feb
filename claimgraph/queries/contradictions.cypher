// contradictions: which claims do sources both support and contradict (mixed = true), and which
// claims share a subject, predicate and object (or, for value claims, the metric or milestone
// they measure: the qualifiers with the measure role, $measure_qualifiers) with another claim,
// both carrying numbers or dates that could clash? claimgraph compares those numbers in Python
// with the audit's rule (same unit, ranges that do not meet).
// Parameters: $measure_qualifiers, $min_status_rank (0 refuted .. 6 confirmed, or null), $as_of ('YYYY-MM-DD' or null).
//             $graph: the graph read (claimgraph neo4j push --graph NAME; 'default' when not named).
MATCH (s:Entity)-[r]->(o)
WHERE r.claim_id IS NOT NULL
  AND r.status_rank >= coalesce($min_status_rank, 0) AND r.claimgraph_graph = $graph
  AND ($as_of IS NULL OR (coalesce(r.holds_from <= date($as_of), $include_undated)
                          AND (r.holds_until IS NULL OR r.holds_until >= date($as_of))))
  AND ($known_on IS NULL OR r.on_record_from <= date($known_on))  // time: docs/time.md; $include_undated true/false, $known_on 'YYYY-MM-DD' or null
WITH s, r, o,
     size(r.supporting_source_ids) > 0 AND size(r.contradicting_source_ids) > 0 AS mixed,
     (o:Value AND o.type IN ['quantity', 'date']) OR any(k IN keys(r) WHERE k STARTS WITH 'q_' AND k ENDS WITH '_unit') AS numeric,
     CASE WHEN o:Entity THEN
       CASE WHEN s.id < o.id THEN [s.id, type(r), o.id] ELSE [o.id, type(r), s.id] END
     ELSE [s.id, type(r), null] + [k IN $measure_qualifiers | r['q_' + k]] END AS key
WHERE mixed OR numeric
WITH key, collect({s: s, r: r, o: o, mixed: mixed, numeric: numeric}) AS group
UNWIND group AS g
WITH g, size([x IN group WHERE x.numeric]) AS numbered
WHERE g.mixed OR (g.numeric AND numbered >= 2)
WITH g.s AS s, g.r AS r, g.o AS o, g.mixed AS mixed
RETURN r.claim_id AS claim_id, mixed, type(r) AS predicate,
       {id: s.id, name: s.name, kind: s.kind} AS subject,
       CASE WHEN o:Entity THEN {id: o.id, name: o.name, kind: o.kind} END AS object,
       CASE WHEN o:Value THEN o {.type, .text, .num, .min, .max, .unit, .approx, .date} END AS value,
       r.qualifiers_json AS qualifiers_json, r.valid_from AS valid_from, r.valid_until AS valid_until,
       r.status AS status, r.evidence_json AS evidence_json, r.source_ids AS source_ids
ORDER BY claim_id
