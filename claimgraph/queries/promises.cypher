// promises: every dated promise about $entity (its own, what it develops, and those it made;
// null: all), and how later claims closed it. A promise is a date claim of a predicate with the
// milestone role ($milestone_predicates, its stage qualifier $milestone_stage) that looks
// forward: tense 'future', or no tense and a date starting after it was said (the last day of
// stated_on, else holds_from). Its deadline is the last day of its date. Later claims on the same
// subject and stage close it, first rule first:
//   broken       the promise is refuted, or a reported/confirmed claim (status_rank >= 5) of a
//                stage its role lists in $milestone_ends (discontinued) ends the subject;
//   kept/slipped a reported/confirmed claim that does not look forward dates the stage as reached
//                (the earliest): kept when it starts by the deadline, else slipped by the months
//                from the deadline's month to its month;
//   rescheduled  one of its asserters later (said after it) gave the stage a later deadline, in a
//                claim at least 'claimed' (status_rank >= 4): the months the deadline moved;
//   open/overdue otherwise, on the day judged: $as_of, else $known_on, else $today.
// 'earlier' lists the dates its asserters gave the stage before (said earlier, dated earlier).
// The per-asserter and per-source track records are counted from these rows in Python.
// Parameters: $entity (entity id or null), $today ('YYYY-MM-DD'), the vocabulary's roles,
//             $min_status_rank (0 refuted .. 6 confirmed, or null), $as_of, $include_undated,
//             $known_on (docs/time.md),
//             $graph: the graph read (claimgraph neo4j push --graph NAME; 'default' when not named).
WITH date(coalesce($as_of, $known_on, $today)) AS day
MATCH (x:Entity)-[m]->(v:Value)
WHERE type(m) IN $milestone_predicates
  AND v.date_start IS NOT NULL
  AND m.status_rank >= coalesce($min_status_rank, 0) AND m.claimgraph_graph = $graph
  AND ($as_of IS NULL OR (coalesce(m.holds_from <= date($as_of), $include_undated)
                          AND (m.holds_until IS NULL OR m.holds_until >= date($as_of))))
  AND ($known_on IS NULL OR m.on_record_from <= date($known_on))  // time: docs/time.md
WITH day, x, m, v, m['q_' + $milestone_stage[type(m)]] AS stage,
     CASE WHEN m.stated_on IS NULL THEN m.holds_from
          WHEN size(m.stated_on) = 4 THEN date(m.stated_on + '-12-31')
          WHEN size(m.stated_on) = 7 THEN date(m.stated_on + '-01') + duration({months: 1}) - duration({days: 1})
          ELSE date(m.stated_on) END AS said
WITH day, x, collect({
  id: m.claim_id, subject: x.id, subject_name: x.name, stage: stage,
  ends: stage IN coalesce($milestone_ends[type(m)], []),
  date: v.date, start: v.date_start, end: v.date_end, said: said,
  promised_on: coalesce(m.stated_on, toString(said)),
  fwd: CASE WHEN m.tense IS NOT NULL THEN m.tense = 'future' ELSE said IS NOT NULL AND v.date_start > said END,
  rank: m.status_rank, status: m.status, asserted: m.asserted_by,
  supporting: m.supporting_source_ids, sources: m.source_ids
}) AS ms                                      // one subject's dated milestone claims
WITH day, x, ms, $entity IS NULL OR x.id = $entity OR EXISTS {
  MATCH (e:Entity {id: $entity})-[d]->(x)
  WHERE type(d) IN $generation_predicates
    AND d.status_rank >= coalesce($min_status_rank, 0) AND d.claimgraph_graph = $graph
    AND ($as_of IS NULL OR (coalesce(d.holds_from <= date($as_of), $include_undated)
                            AND (d.holds_until IS NULL OR d.holds_until >= date($as_of))))
    AND ($known_on IS NULL OR d.on_record_from <= date($known_on))
} AS in_scope
UNWIND ms AS p
WITH day, ms, p
WHERE p.fwd AND (in_scope OR $entity IN p.asserted)
WITH day, p, [m IN ms WHERE m.id <> p.id] AS same
WITH day, p,
     COLLECT { UNWIND same AS m WITH m WHERE m.stage = p.stage AND NOT m.fwd AND m.rank >= 5
               RETURN m ORDER BY m.start, m.id LIMIT 1 } AS reached,
     COLLECT { UNWIND same AS m WITH m WHERE m.ends AND NOT m.fwd AND m.rank >= 5
               RETURN m ORDER BY m.start, m.id LIMIT 1 } AS ended,
     COLLECT { UNWIND same AS m WITH m WHERE m.stage = p.stage AND m.fwd AND m.rank >= 4
                 AND any(a IN m.asserted WHERE a IN p.asserted) AND m.said > p.said AND m.end > p.end
               RETURN m ORDER BY m.said, m.end, m.id LIMIT 1 } AS moved,
     COLLECT { UNWIND same AS m WITH m WHERE m.stage = p.stage
                 AND any(a IN m.asserted WHERE a IN p.asserted) AND m.said < p.said AND m.end < p.end
               RETURN m ORDER BY m.said, m.id } AS earlier
WITH day, p, earlier,
     CASE WHEN p.rank = 0 THEN null
          WHEN size(reached) > 0 THEN reached[0]
          WHEN size(ended) > 0 THEN ended[0]
          WHEN size(moved) > 0 THEN moved[0] END AS c,
     CASE WHEN p.rank = 0 THEN 'broken'
          WHEN size(reached) > 0 THEN CASE WHEN reached[0].start <= p.end THEN 'kept' ELSE 'slipped' END
          WHEN size(ended) > 0 THEN 'broken'
          WHEN size(moved) > 0 THEN 'rescheduled'
          WHEN day <= p.end THEN 'open'
          ELSE 'overdue' END AS outcome
RETURN p.subject AS subject, p.subject_name AS subject_name, p.stage AS milestone, p.date AS promised,
       toString(p.end) AS deadline, p.promised_on AS promised_on, toString(p.said) AS said,
       p.status AS status, p.asserted AS by, p.supporting AS supporting_source_ids, outcome,
       c.id AS closed_by, c.date AS closed_on,
       CASE outcome
         WHEN 'kept' THEN 0
         WHEN 'slipped' THEN (c.start.year * 12 + c.start.month) - (p.end.year * 12 + p.end.month)
         WHEN 'rescheduled' THEN (c.end.year * 12 + c.end.month) - (p.end.year * 12 + p.end.month)
       END AS slip_months,
       [m IN earlier | m.date + ' (stated ' + m.promised_on + ', ' + m.status + ')'] AS earlier,
       [p.id] + CASE WHEN c IS NULL THEN [] ELSE [c.id] END + [m IN earlier | m.id] AS claim_ids,
       p.sources + coalesce(c.sources, []) + reduce(s = [], m IN earlier | s + m.sources) AS source_ids,
       p.id AS id
