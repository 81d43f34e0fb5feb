"""The vocabulary extension of a pushed landscape, kept in the database beside it.

One node ``(:Vocabulary {key: 'extension'})`` holds, as JSON text in its ``json`` property, what
the landscape's vocabulary adds to the built-in one (in the format of
``claimgraph/vocabulary.yaml``: new stances, kinds, units, qualifiers, predicates).
:func:`store_extension` writes it when ``push`` runs (merged with what is stored; exactly the
landscape's with ``replace``), and ``pull`` and the Neo4j queries read it back
(:data:`Q_READ_EXTENSION`, :func:`with_extension`), so data that uses the extension comes back
valid. The label is claimgraph's own (reserved, never a vocabulary kind); the JSON travels as a
parameter.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from ..errors import ClaimgraphError
from ..vocabulary import Vocabulary, default_vocabulary

#: the label of the node holding the extension (in RESERVED_LABELS)
VOCABULARY_LABEL = "Vocabulary"
Q_READ_EXTENSION = "MATCH (v:Vocabulary {key: 'extension'}) RETURN v.json AS json ORDER BY v.json"
Q_WRITE_EXTENSION = "MERGE (v:Vocabulary {key: 'extension'}) SET v.json = $json"
Q_DELETE_EXTENSION = "MATCH (v:Vocabulary {key: 'extension'}) DETACH DELETE v"


def with_extension(vocabulary: Vocabulary, texts: Iterable[Any], where: str = "the Neo4j database") -> Vocabulary:
    """``vocabulary`` extended by the stored extension(s) ``texts`` (JSON text); what the
    database holds wins over a different definition of the same entry."""
    for text in texts:
        if not text:
            continue
        try:
            data = json.loads(text)
        except (TypeError, ValueError):
            raise ClaimgraphError(f"{where}: the (:Vocabulary) node's json is not valid JSON: push the dataset again") from None
        vocabulary = vocabulary.extend(data, where=f"{where} (:Vocabulary node)", replace=True)
    return vocabulary


def _read(tx) -> list:
    return [r[0] for r in tx.run(Q_READ_EXTENSION).values()]


def _write(tx, text: str | None) -> None:
    tx.run(Q_DELETE_EXTENSION).consume()
    if text is not None:
        tx.run(Q_WRITE_EXTENSION, {"json": text}).consume()


def extension_text(vocabulary: Vocabulary, stored: Iterable[Any] = ()) -> str | None:
    """The JSON to store: the extension of ``vocabulary`` over the built-in one, on top of what
    is ``stored`` already (None when there is nothing to store)."""
    base = default_vocabulary()
    merged = with_extension(base, stored).extend(vocabulary.extension_data(), replace=True)
    ext = merged.extension_data()
    return json.dumps(ext, ensure_ascii=False, sort_keys=True) if ext else None


def store_extension(conn, vocabulary: Vocabulary, *, replace: bool = False) -> None:
    """Record ``vocabulary``'s extension in the database of ``conn`` in one write transaction:
    merged with the stored one, or (``replace``) exactly it, the node removed when empty."""

    def work(tx) -> None:
        stored = [] if replace else _read(tx)
        if not stored and not vocabulary.extension_data() and not replace:
            return  # nothing stored, nothing to store: no write at all
        _write(tx, extension_text(vocabulary, stored))

    with conn.session(write=True) as session:
        session.execute_write(work)
