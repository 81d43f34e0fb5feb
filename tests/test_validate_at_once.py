"""validate reports every problem of a dataset in one run: a header mistake, a bad field or an
unknown predicate no longer hides the problems behind it (each used to surface only once the
one before it was fixed)."""

from __future__ import annotations

import pytest

from claimgraph import api
from claimgraph.errors import DatasetError


def _write(folder, name, text):
    (folder / name).write_text(text)


def test_a_file_with_twelve_mistakes_reports_twelve_in_one_run(tmp_path):
    _write(tmp_path, "sources.csv", "id,title,publisher,tier,published\n"
                                    "s1,Title,Pub,press,2024-01\n"
                                    "s3,Title3,Pub,blog,2024\n")                       # 1 tier
    _write(tmp_path, "entities.csv", "id,name,kind,alias,attr_zip\n"               # 2 alias column
                                     "acme,Acme,Company,ACME,02139\n"
                                     "gamma,Gamma,Compny,,\n"                           # 3 kind
                                     "delta,,Company,,\n")                              # 4 no name
    _write(tmp_path, "claims.csv", "id,subject,predicate,object,q_amount,status,stated_on,supported_by\n"
                                   "c1,acme,INVESTS_IN,gamma,USD 5M,reported,2024,s1\n"
                                   "c2,acme,INVEST_IN,deltaa,USD 5M,reported,2024,s1\n"  # 5 predicate, 6 object
                                   "c3,acme,INVESTS_IN,delta,GBP 5M,reported,2024,s1\n"  # 7 currency
                                   "c4,acme,INVESTS_IN,delta,USD 5M,confirmd,2024,s1\n"  # 8 status
                                   "c5,acme,INVESTS_IN,deltaa,USD 5M,reported,2024-02-30,s9\n")  # 9 date, 10 object, 11 source
    _write(tmp_path, "extra.yaml", "claims:\n  - {id: c6, subject: acme, predicate: INVESTS_IN, object: gama, status: reported, "
                                   "evidence: [{source: s1}]}\n")                       # 12 object
    with pytest.raises(DatasetError) as exc:
        api.validate([tmp_path])
    lines = [str(p) for p in exc.value.problems]
    assert len(lines) == 12, "\n".join(lines)
    where = sorted((p.origin.file.rsplit("/", 1)[-1], p.origin.line) for p in exc.value.problems)
    assert where == [("claims.csv", 3), ("claims.csv", 3), ("claims.csv", 4), ("claims.csv", 5), ("claims.csv", 6),
                     ("claims.csv", 6), ("claims.csv", 6), ("entities.csv", 1), ("entities.csv", 3),
                     ("entities.csv", 4), ("extra.yaml", 2), ("sources.csv", 3)]
    text = "\n".join(lines)
    # no echo of an earlier problem: 'acme' is fine once the unknown column is set aside, and
    # 'delta' is reported once, where it is defined without a name
    assert "unknown entity 'acme'" not in text and "unknown entity 'delta'" not in text
    assert "unknown field 'alias'" not in text
    assert "unknown entity 'deltaa'" in text and "unknown source 's9'" in text


def test_csv_attributes_keep_text_that_only_looks_like_a_number(tmp_path):
    _write(tmp_path, "entities.csv", "id,name,kind,attr_zip,attr_founded,attr_code,attr_ratio\n"
                                     "acme,Acme,Company,02139,1993,+44,1.50\n")
    _write(tmp_path, "claims.csv", "id,subject,predicate,object,status\n")
    from claimgraph import load

    attrs = load([tmp_path]).entities["acme"].attributes
    assert attrs == {"zip": "02139", "founded": 1993, "code": "+44", "ratio": "1.50"}
