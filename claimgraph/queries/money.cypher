// money: who pays whom? Every INVESTS_IN, COMMITS_TO_BUY and ACQUIRES claim (the subject pays
// the object) and MANUFACTURES_FOR claim (the customer, its object, pays the maker), with its
// amount as written and as numbers (point = value, else max, else min), its validity period and
// the qualifiers that name a deal (round, product). claimgraph converts the amounts to US dollars
// with the dataset's (:Rate) nodes, counts the claims about one deal once (same predicate,
// periods that meet, no different round or product) and sums the deals per pair in Python.
// Parameters: $min_status_rank (0 refuted .. 6 confirmed, or null), $as_of ('YYYY-MM-DD' or null).
MATCH (s:Entity)-[r:INVESTS_IN|COMMITS_TO_BUY|ACQUIRES|MANUFACTURES_FOR]->(o:Entity)
WHERE r.claim_id IS NOT NULL
  AND r.status_rank >= coalesce($min_status_rank, 0)
  AND ($as_of IS NULL OR (coalesce(r.holds_from <= date($as_of), $include_undated)
                          AND (r.holds_until IS NULL OR r.holds_until >= date($as_of))))
  AND ($known_on IS NULL OR r.on_record_from <= date($known_on))  // time: docs/time.md; $include_undated true/false, $known_on 'YYYY-MM-DD' or null
WITH r, CASE WHEN type(r) = 'MANUFACTURES_FOR' THEN o ELSE s END AS payer,
        CASE WHEN type(r) = 'MANUFACTURES_FOR' THEN s ELSE o END AS payee
RETURN payer.id AS payer, payer.name AS payer_name, payee.id AS payee, payee.name AS payee_name,
       r.claim_id AS claim_id, type(r) AS predicate, r.q_amount AS amount,
       coalesce(r.q_amount_value, r.q_amount_max, r.q_amount_min) AS point,
       r.q_amount_unit AS unit, r.status AS status, r.source_ids AS source_ids,
       toString(r.valid_from_start) AS from_day, toString(r.valid_until_end) AS until_day,
       r.q_round AS round, r.q_product AS product
ORDER BY payer, payee, claim_id
