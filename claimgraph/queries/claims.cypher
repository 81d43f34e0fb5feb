// claims: the claim ledger. Every claim with its subject, predicate, object (or value, as text),
// qualifiers (JSON), status, dates and sources; optionally only claims about $entity (subject or
// object), with a status in $status, resting on source $source, with a predicate in $predicate.
// Parameters: $entity (entity id or null), $status (list or null), $source (source id or null),
//             $predicate (list or null),
//             $min_status_rank (0 refuted .. 6 confirmed, or null), $as_of ('YYYY-MM-DD' or null).
//             $graph: the graph read (claimgraph neo4j push --graph NAME; 'default' when not named).
MATCH (s:Entity)-[r]->(o)
WHERE r.claim_id IS NOT NULL
  AND r.status_rank >= coalesce($min_status_rank, 0) AND r.claimgraph_graph = $graph
  AND ($as_of IS NULL OR (coalesce(r.holds_from <= date($as_of), $include_undated)
                          AND (r.holds_until IS NULL OR r.holds_until >= date($as_of))))
  AND ($known_on IS NULL OR r.on_record_from <= date($known_on))  // time: docs/time.md; $include_undated true/false, $known_on 'YYYY-MM-DD' or null
  AND ($entity IS NULL OR s.id = $entity OR (o:Entity AND o.id = $entity))
  AND ($status IS NULL OR r.status IN $status)
  AND ($source IS NULL OR $source IN r.source_ids)
  AND ($predicate IS NULL OR type(r) IN $predicate)
RETURN r.claim_id AS claim_id, s.id AS subject, s.name AS subject_name, type(r) AS predicate,
       CASE WHEN o:Entity THEN o.id END AS object, CASE WHEN o:Entity THEN o.name END AS object_name,
       CASE WHEN o:Value THEN o.text END AS value, r.qualifiers_json AS qualifiers_json,
       r.status AS status, r.stated_on AS stated_on, r.valid_from AS valid_from,
       r.valid_until AS valid_until, [r.claim_id] AS claim_ids, r.source_ids AS source_ids
ORDER BY claim_id
