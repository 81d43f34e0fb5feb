// circular-deals: where does money go round? A invests in B (the investment role,
// $investment_investor: INVESTS_IN), or A, a vendor, gives B equity or warrants (the
// vendor_equity role, $vendor_equity_vendor, $vendor_equity_instrument: GRANTS_EQUITY_TO),
// while B buys from A (the purchase role, $purchase_buyer:
// B COMMITS_TO_BUY A, or A SUPPLIES / LEASES_TO / MANUFACTURES_FOR B), directly or through a
// vehicle of B: an entity of a vehicle kind ($vehicle_kinds: Fund) tied to B by a vehicle-role
// claim ($vehicle_owner: it LEASES_TO B, or B LEADS, ACQUIRES or OPERATES it) (Nvidia funds
// xAI's GPU vehicle, which buys Nvidia GPUs and leases them to xAI).
// Every leg comes with its amount, stake (an equity leg: instrument and count) and status;
// 'status' is the weaker of the strongest money or equity leg and the strongest purchase leg
// (the Python row names the loops, investment and vendor equity, from its legs).
// Parameters: the vocabulary's roles, $min_status_rank (0 refuted .. 6 confirmed, or null),
//             $as_of ('YYYY-MM-DD' or null), $include_undated, $known_on ('YYYY-MM-DD' or null).
//             $graph: the graph read (claimgraph neo4j push --graph NAME; 'default' when not named).
CALL () {
  MATCH (v:Entity)-[l]-(b:Entity)
  WHERE type(l) IN $vehicle_predicates
    AND l.claim_id IS NOT NULL
    AND l.status_rank >= coalesce($min_status_rank, 0) AND l.claimgraph_graph = $graph
    AND ($as_of IS NULL OR (coalesce(l.holds_from <= date($as_of), $include_undated)
                            AND (l.holds_until IS NULL OR l.holds_until >= date($as_of))))
    AND ($known_on IS NULL OR l.on_record_from <= date($known_on))
    AND v.kind IN $vehicle_kinds
    AND (($vehicle_owner[type(l)] = 'object' AND startNode(l) = v)
      OR ($vehicle_owner[type(l)] = 'subject' AND startNode(l) = b))
  RETURN collect({v: v.id, b: b.id, claim: l}) AS links
}
CALL (links) {  // the money and equity legs per (investor, recipient); links is no grouping key here
  MATCH (x:Entity)-[m]->(y:Entity)
  WHERE (type(m) IN $investment_predicates OR type(m) IN $vendor_equity_predicates)
    AND m.claim_id IS NOT NULL
    AND m.status_rank >= coalesce($min_status_rank, 0) AND m.claimgraph_graph = $graph
    AND ($as_of IS NULL OR (coalesce(m.holds_from <= date($as_of), $include_undated)
                            AND (m.holds_until IS NULL OR m.holds_until >= date($as_of))))
    AND ($known_on IS NULL OR m.on_record_from <= date($known_on))
  WITH m, CASE coalesce($investment_investor[type(m)], $vendor_equity_vendor[type(m)])
            WHEN 'subject' THEN [x, y] ELSE [y, x] END AS ends
  WITH m, ends[0] AS a, ends[1] AS t
  UNWIND [{b: t.id, via: null}] + [k IN links WHERE k.v = t.id | {b: k.b, via: t.id}] AS target
  WITH a, m, target
  WHERE target.b <> a.id
  RETURN a, target.b AS bid, collect(DISTINCT m) AS money, collect(target.via) AS money_vias
}
CALL (links, a, bid) {
  MATCH (a)-[p]-(q:Entity)
  WHERE type(p) IN $purchase_predicates
    AND p.claim_id IS NOT NULL
    AND p.status_rank >= coalesce($min_status_rank, 0) AND p.claimgraph_graph = $graph
    AND ($as_of IS NULL OR (coalesce(p.holds_from <= date($as_of), $include_undated)
                            AND (p.holds_until IS NULL OR p.holds_until >= date($as_of))))
    AND ($known_on IS NULL OR p.on_record_from <= date($known_on))
    AND (($purchase_buyer[type(p)] = 'subject' AND endNode(p) = a)
      OR ($purchase_buyer[type(p)] = 'object' AND startNode(p) = a))
  WITH p, CASE WHEN q.id = bid THEN [null] ELSE [] END
          + [k IN links WHERE k.v = q.id AND k.b = bid | q.id] AS vias
  UNWIND vias AS via
  RETURN collect(DISTINCT p) AS purchases, collect(via) AS purchase_vias
}
WITH links, a, bid, money, purchases, money_vias + purchase_vias AS all_vias
WHERE size(purchases) > 0
MATCH (b:Entity {id: bid})
WITH a, b, money, purchases, links,
     reduce(s = [], v IN all_vias | CASE WHEN v IN s THEN s ELSE s + v END) AS vias
WITH a, b, money, purchases, vias,
     [k IN links WHERE k.b = b.id AND k.v IN vias | k.claim] AS vehicle_links,
     reduce(x = head(money), r IN money | CASE WHEN r.status_rank > x.status_rank THEN r ELSE x END) AS best_money,
     reduce(x = head(purchases), r IN purchases | CASE WHEN r.status_rank > x.status_rank THEN r ELSE x END) AS best_purchase
WITH a, b, vias, best_money, best_purchase,
     [r IN money | {role: CASE WHEN type(r) IN $investment_predicates THEN 'money' ELSE 'equity' END, r: r}]
       + [r IN purchases | {role: 'purchase', r: r}]
       + [r IN vehicle_links | {role: 'vehicle', r: r}] AS legs
RETURN a.id AS investor, a.name AS investor_name, b.id AS recipient, b.name AS recipient_name,
       vias AS vehicles,
       CASE WHEN best_money.status_rank <= best_purchase.status_rank
            THEN best_money.status ELSE best_purchase.status END AS status,
       [g IN legs | {role: g.role, claim_id: g.r.claim_id, subject: startNode(g.r).id,
                     predicate: type(g.r), object: endNode(g.r).id, amount: g.r.q_amount,
                     stake: g.r.q_stake, status: g.r.status,
                     instrument: CASE WHEN g.role = 'equity' AND $vendor_equity_instrument[type(g.r)] IS NOT NULL
                                      THEN g.r['q_' + $vendor_equity_instrument[type(g.r)]] END,
                     count: CASE g.role WHEN 'equity' THEN g.r.q_count END}] AS legs,
       [g IN legs | g.r.claim_id] AS claim_ids,
       reduce(s = [], g IN legs | s + g.r.source_ids) AS source_ids
ORDER BY investor, recipient
