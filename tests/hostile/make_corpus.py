"""Rebuild the small hostile corpus from base.yaml: ``python tests/hostile/make_corpus.py``.

Files that are not valid UTF-8 (latin-1, UTF-16, NUL bytes) and big files are made at test time
by tests/test_hostile_inputs.py instead of being committed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

HERE = Path(__file__).parent
BASE = (HERE / "base.yaml").read_text(encoding="utf-8")
BODY = BASE.split("\n", 1)[1]  # without the comment line, so line numbers are the base's minus one


def yaml_cases() -> dict[str, str]:
    b = BODY
    sub = b.replace
    claim = (
        "  - id: acme-cadence\n    subject: acme\n    predicate: HAS_CADENCE\n    value: {v}\n"
        "    status: reported\n    evidence:\n      - {{source: src-a}}\n"
    )
    return {
        "syntax-tab": "sources:\n\t- id: x\n",
        "syntax-unclosed-flow": "sources: [\n  {id: a\n",
        "syntax-bad-indent": "sources:\n  - id: a\n   title: b\n",
        "syntax-unclosed-quote": sub("title: A report", 'title: "A report'),
        "top-level-list": "- sources\n- entities\n",
        "top-level-scalar": "just some text\n",
        "section-not-list": "sources: 5\n",
        "item-not-mapping": "sources:\n  - 5\n",
        "unknown-section": b + "claimz: []\n",
        "python-tag": "sources: !!python/object/apply:os.system ['echo pwned']\n",
        "dup-key": sub("    name: Acme\n", "    name: Acme\n    name: Acme Two\n"),
        "dup-id": sub("  - id: beta\n", "  - id: acme\n"),
        "deep-flow-seq": "sources: " + "[" * 10000 + "]" * 10000 + "\n",
        "deep-flow-map": "sources: " + "{a: " * 10000 + "1" + "}" * 10000 + "\n",
        "deep-block": "sources:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 2000)) + " " * 2000 + "x: 1\n",
        "alias-bomb": "sources: &a [x, x, x, x, x, x, x, x, x]\n"
        + "".join(f"k{i}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)),
        # 9^9 items in a claim's value, in about 900 bytes: validation walked it and the error
        # message printed it (killed at 120 s and 3 GB)
        "alias-bomb-value": b + claim.format(v="[" + ", ".join(
            ["&a0 [x, x, x, x, x, x, x, x, x]"]
            + [f"&a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]) + "]"),
        "unknown-section-case": sub("claims:\n", "Claims:\n"),
        # a 20 000-character bad date: the message quotes a short prefix (big: made at test time)
        "date-long-text": sub("2026-01-05", "x" * 20000),
        "huge-integer": sub("stake: 10%", "amount: {value: " + "9" * 5000 + ", unit: USD}"),
        "huge-float": sub("stake: 10%", "amount: USD 1e400"),
        "too-large": sub("stake: 10%", "amount: {value: 1e19, unit: USD}"),
        "nan": sub("stake: 10%", "amount: {value: .nan, unit: USD}"),
        "inf": sub("stake: 10%", "amount: {value: .inf, unit: USD}"),
        "neg-inf-value": b + claim.format(v="{value: -.inf, unit: months}"),
        "nan-bare-value": b + claim.format(v=".nan"),
        "negative-stake": sub("stake: 10%", "stake: -5%"),
        "stake-over-100": sub("stake: 10%", "stake: 150%"),
        "stake-range-over-100": sub("stake: 10%", "stake: {min: 50, max: 101, unit: '%'}"),
        "negative-amount": sub("stake: 10%", "amount: USD -2B"),
        "date-impossible": sub("2026-01-05", "2026-02-30"),
        "date-month-13": sub("2026-01-05", "2026-13"),
        "date-year-0": sub("2026-01-05", "'0000'"),
        "date-words": sub("2026-01-05", "yesterday"),
        "date-inverted-validity": sub("    status: reported\n", "    valid_from: 2026-05\n    valid_until: 2026-04\n    status: reported\n"),
        "bool-value": b + claim.format(v="true"),
        "id-backtick": sub("  - id: beta\n", "  - id: 'beta`) DETACH DELETE n //'\n"),
        "id-quote-brace": sub("  - id: beta\n", "  - id: \"beta'}) DETACH DELETE n //\"\n"),
        "id-zero-width": sub("  - id: beta\n", "  - id: \"be\u200bta\"\n"),
        "id-rtl": sub("  - id: beta\n", "  - id: \"\u202eateb\"\n"),
        "kind-backtick": sub("kind: Company", "kind: 'Company`) DETACH DELETE n //'", 1),
        "kind-cypher-keyword": sub("kind: Company", "kind: 'MATCH'", 1),
        "predicate-backtick": sub("predicate: INVESTS_IN", "predicate: 'INVESTS_IN`]->() DETACH DELETE r //'"),
        "predicate-lowercase": sub("predicate: INVESTS_IN", "predicate: invests_in"),
        "status-upgrade-word": sub("status: reported", "status: 'confirmed`'"),
        "unknown-ref": sub("object: beta", "object: gamma"),
        "self-reference": sub("object: beta", "object: acme"),
        "non-string-key": "sources:\n  - {1: 2, id: a, title: t, publisher: p, tier: wire}\n",
        "complex-key": "sources:\n  - {? [a, b] : 2}\n",
        "attribute-nan": sub("    kind: Company\n", "    kind: Company\n    attributes: {x: .nan}\n", 1),
        "attribute-nested": sub("    kind: Company\n", "    kind: Company\n    attributes: {x: {y: [1, 2]}}\n", 1),
        "url-with-space": sub("    tier: wire\n", "    url: 'https://a b'\n    tier: wire\n"),
        "confirmed-without-support": sub("status: reported", "status: confirmed").replace("{source: src-a}", "{source: src-a, effect: contradicts}"),
    }


def json_cases() -> dict[str, str]:
    import yaml

    doc = yaml.safe_load(BODY)
    doc["sources"][0]["published"] = "2026-01-05"
    good = json.dumps(doc, indent=1)
    return {
        "syntax-trailing-comma": good.replace('"Acme"', '"Acme",', 1),
        "syntax-truncated": good[: len(good) // 2],
        "syntax-single-quotes": good.replace('"Acme"', "'Acme'"),
        "deep-nesting": '{"sources": ' + "[" * 100000 + "]" * 100000 + "}",
        "deep-objects": '{"sources": [' + '{"a": ' * 10000 + "1" + "}" * 10000 + "]}",
        "dup-key": good.replace('"name": "Acme"', '"name": "Acme", "name": "Acme Two"'),
        "nan-literal": good.replace('"10%"', '{"value": NaN, "unit": "%"}'),
        "infinity-literal": good.replace('"10%"', '{"value": Infinity, "unit": "%"}'),
        "huge-integer": good.replace('"10%"', '{"value": 1' + "0" * 5000 + ', "unit": "%"}'),
        "huge-exponent": good.replace('"10%"', '{"value": 1e999, "unit": "%"}'),
        "stake-negative": good.replace('"10%"', '{"value": -1, "unit": "%"}'),
        "top-level-array": "[1, 2, 3]",
        "top-level-string": '"sources"',
        "date-impossible": good.replace("2026-01-05", "2026-02-30"),
        "string-as-list": good.replace('"entities": [', '"entities": "x", "zz": ['),
        # JSON holding DEL or a C1 character (written raw by json.dumps(ensure_ascii=False)) went
        # to a second parser that kept the last of duplicate keys and ignored unknown sections
        "dup-key-del": good.replace('"name": "Acme"', '"name": "Ac\x7fme", "name": "Acme Two"'),
        "dup-key-c1": good.replace('"name": "Acme"', '"name": "Ac\x9bme", "name": "Acme Two"'),
        "unknown-section-del": good.replace('"Acme"', '"Ac\x7fme"').replace('"claims":', '"Claims":'),
        "unknown-section": good.replace('"claims":', '"Claims":'),
        "lone-surrogate": good.replace('"Acme"', '"Acme \\ud83d"'),
        # the same over 8 MB (made at test time): problems name the field's path
        "dup-key-big": good.replace('"name": "Acme"', '"notes": "' + "n" * (9 * 1024 * 1024)
                                    + '", "name": "Acme", "name": "Acme Two"'),
        "unknown-section-big": good.replace('"Acme"', '"Acme", "notes": "' + "n" * (9 * 1024 * 1024) + '"')
        .replace('"claims":', '"Claims":'),
    }


def csv_cases(base_csv: Path) -> dict[str, dict[str, str]]:
    files = {p.name: p.read_text(encoding="utf-8") for p in sorted(base_csv.iterdir())}

    def edit(name: str, old: str, new: str) -> dict[str, str]:
        assert old in files[name], (name, old)
        return {name: files[name].replace(old, new, 1)}

    return {
        "unclosed-quote": edit("entities.csv", "acme,Acme", 'acme,"Acme'),
        "extra-cells": edit("entities.csv", "beta,Beta Corp,Company,,,", "beta,Beta Corp,Company,,,,x,y"),
        "short-row": edit("entities.csv", "beta,Beta Corp,Company,,,", "beta"),
        "dup-header": edit("entities.csv", "id,name,kind", "id,name,name"),
        "unknown-header": edit("entities.csv", ",notes", ",nots"),
        "dup-id": edit("entities.csv", "beta,Beta Corp", "acme,Beta Corp"),
        "stake-negative": edit("claims.csv", "10%", "-3%"),
        "stake-over-100": edit("claims.csv", "10%", "101%"),
        "stake-nan-text": edit("claims.csv", "10%", "nan%"),
        "stake-json-nan": edit("claims.csv", "10%", '"{""value"": NaN, ""unit"": ""%""}"'),
        "stake-huge": edit("claims.csv", "10%", "9" * 5000 + "%"),
        "date-impossible": edit("sources.csv", "2026-01-05", "2026-02-30"),
        "date-partial-bad": edit("sources.csv", "2026-01-05", "2026-00"),
        "field-too-large": edit("entities.csv", "Acme", "A" * 200_000),
        "attributes-deep-json": edit("entities.csv", "acme,Acme,Company,,,",
                                     'acme,Acme,Company,,"' + '{""a"":' * 5000 + "1" + "}" * 5000 + '",'),
        "attributes-not-object": edit("entities.csv", "acme,Acme,Company,,,", 'acme,Acme,Company,,"[1,2]",'),
        "evidence-unknown-claim": {"evidence.csv": files["evidence.csv"] + "nope,src-a,supports,,\n"},
        "kind-backtick": edit("entities.csv", "acme,Acme,Company", "acme,Acme,Company`) DELETE n //"),
        "predicate-injection": edit("claims.csv", "INVESTS_IN", "INVESTS_IN`]->() DELETE r //"),
        "status-unknown": edit("claims.csv", ",reported,", ",certain,"),
    }


#: cases bigger than this are not committed; the tests write them into a temporary folder
SMALL = 16 * 1024


def write_cases(root: Path, big: bool) -> list[Path]:
    """Write the small cases (``big=False``) or the big ones (``big=True``) under ``root``
    (``yaml/``, ``json/``, ``csv/<case>/``); return the case paths written."""
    import tempfile

    from claimgraph import load
    from claimgraph.io.csv_io import write_csv

    out: list[Path] = []
    for sub, ext, cases in (("yaml", ".yaml", yaml_cases()), ("json", ".json", json_cases())):
        (root / sub).mkdir(parents=True, exist_ok=True)
        for name, text in cases.items():
            if (len(text.encode()) > SMALL) == big:
                path = root / sub / f"{name}{ext}"
                path.write_text(text, encoding="utf-8")
                out.append(path)
    with tempfile.TemporaryDirectory() as tmp:
        write_csv(load([HERE / "base.yaml"]), Path(tmp))
        base = {p.name: p.read_text(encoding="utf-8") for p in Path(tmp).iterdir()}
        for name, changes in csv_cases(Path(tmp)).items():
            files = base | changes
            if (sum(len(t.encode()) for t in files.values()) > SMALL) != big:
                continue
            folder = root / "csv" / name
            folder.mkdir(parents=True, exist_ok=True)
            for fname, text in files.items():
                (folder / fname).write_text(text, encoding="utf-8")
            out.append(folder)
    return out


def main() -> None:
    for sub in ("yaml", "json", "csv"):
        shutil.rmtree(HERE / sub, ignore_errors=True)
    write_cases(HERE, big=False)


if __name__ == "__main__":
    main()
