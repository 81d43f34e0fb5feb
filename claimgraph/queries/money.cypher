// money: who pays whom? Every claim whose predicate has the money role ($money_predicates;
// built in: INVESTS_IN, COMMITS_TO_BUY and ACQUIRES, where the subject pays the object, and
// MANUFACTURES_FOR, where the customer, its object, pays the maker: $money_payer), with its
// amount ($money_amount names the qualifier) as written and as numbers (value, or min and/or
// max: "up to" has only a max, a bound that claimgraph never adds to a total), its validity
// period, the qualifiers that name a deal ($deal_qualifiers: round, deal, product) and what a
// running total covers ($total_qualifiers: cumulative). claimgraph converts the amounts to US
// dollars with the dataset's (:Rate) nodes, counts the claims about one deal once (same
// predicate, periods that meet, no different deal qualifier), lists running totals beside the
// deals and sums the deals per pair in Python.
// Parameters: the vocabulary's roles ($money_predicates, $money_payer, $money_amount,
//             $deal_qualifiers, $total_qualifiers), $min_status_rank (0 refuted .. 6 confirmed,
//             or null), $as_of ('YYYY-MM-DD' or null).
//             $graph: the graph read (claimgraph neo4j push --graph NAME; 'default' when not named).
MATCH (s:Entity)-[r]->(o:Entity)
WHERE type(r) IN $money_predicates
  AND r.claim_id IS NOT NULL
  AND r.status_rank >= coalesce($min_status_rank, 0) AND r.claimgraph_graph = $graph
  AND ($as_of IS NULL OR (coalesce(r.holds_from <= date($as_of), $include_undated)
                          AND (r.holds_until IS NULL OR r.holds_until >= date($as_of))))
  AND ($known_on IS NULL OR r.on_record_from <= date($known_on))
WITH r, 'q_' + $money_amount[type(r)] AS q,
     CASE WHEN $money_payer[type(r)] = 'object' THEN o ELSE s END AS payer,
     CASE WHEN $money_payer[type(r)] = 'object' THEN s ELSE o END AS payee
RETURN payer.id AS payer, payer.name AS payer_name, payee.id AS payee, payee.name AS payee_name,
       r.claim_id AS claim_id, type(r) AS predicate, r[q] AS amount,
       r[q + '_value'] AS value, r[q + '_min'] AS min, r[q + '_max'] AS max,
       r[q + '_unit'] AS unit, r.status AS status, r.source_ids AS source_ids,
       toString(r.valid_from_start) AS from_day, toString(r.valid_until_end) AS until_day,
       [k IN $deal_qualifiers | r['q_' + k]] AS deal,
       head([k IN $total_qualifiers WHERE r['q_' + k] IS NOT NULL | r['q_' + k]]) AS total
ORDER BY payer, payee, claim_id
