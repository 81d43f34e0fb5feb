"""Real data in: a file and a mapping (a YAML file, or the name of a well-known format) become a
normal claimgraph dataset folder, with the rows it could not take in a rejects file beside it.

The well-known formats are mapping files shipped in ``claimgraph/importers/mappings/`` over the
same engine (:mod:`claimgraph.importers.engine`): FollowTheMoney entity streams (``ftm``) and
Crunchbase-style CSV exports (``crunchbase-organizations``, ``crunchbase-acquisitions``,
``crunchbase-investments``, ``crunchbase-rounds``, ``techcrunch-investments``) and Wikidata
entity JSON (``wikidata``: statements as claims, ranks as statuses, references as sources).
Entity matching across datasets, with a review file, is :mod:`claimgraph.importers.matching`.
See ``docs/import.md``.

>>> sorted(FORMATS)[:3]
['crunchbase-acquisitions', 'crunchbase-investments', 'crunchbase-organizations']
"""

from __future__ import annotations

import contextlib
import csv
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ClaimgraphError
from ..fileio import OUTPUT_NAMES, atomic_folder, atomic_write

__all__ = ["FORMATS", "import_file", "mapping_for", "write_vocabulary", "rejects_path", "VOCABULARY_FILE"]

#: the name of a dataset folder's vocabulary extension (read by claimgraph.io.vocabulary_for)
VOCABULARY_FILE = "vocabulary.yaml"

#: well-known format -> (mapping file in mappings/, what it reads)
FORMATS: dict[str, tuple[str, str]] = {
    "ftm": ("ftm.yaml", "FollowTheMoney entity stream (JSON lines): things, and interval schemata as claims"),
    "crunchbase-organizations": ("crunchbase-organizations.yaml", "Crunchbase organizations/companies CSV export"),
    "crunchbase-acquisitions": ("crunchbase-acquisitions.yaml", "Crunchbase acquisitions CSV export (acquirer ACQUIRES company)"),
    "crunchbase-investments": ("crunchbase-investments.yaml", "Crunchbase investments CSV export (one row per investor and round)"),
    "crunchbase-rounds": ("crunchbase-rounds.yaml", "Crunchbase funding rounds CSV export (company RAISES a round)"),
    "techcrunch-investments": ("techcrunch-investments.yaml", "the headerless TechCrunch/Crunchbase 2008-2013 investments CSV"),
    "wikidata": ("wikidata.yaml", "Wikidata entity JSON (wbgetentities, Special:EntityData, dump lines): statements, ranks, references"),
}


def mapping_for(mapping: str | Path | None = None, format: str | None = None):
    """The :class:`~claimgraph.importers.mapping.Mapping` of a mapping file, or of a well-known
    ``format``."""
    from .mapping import read_mapping

    if (mapping is None) == (format is None):
        raise ClaimgraphError("give a mapping file (--map FILE) or a well-known format (--format NAME), one of them"
                              f" (formats: {', '.join(sorted(FORMATS))})")
    if format is not None:
        if format not in FORMATS:
            import difflib

            hint = difflib.get_close_matches(format, list(FORMATS), n=1)
            raise ClaimgraphError(f"unknown import format {format!r}" + (f": did you mean {hint[0]!r}?" if hint else "")
                                  + f" (formats: {', '.join(sorted(FORMATS))})")
        res = resources.files(__name__).joinpath("mappings", FORMATS[format][0])
        return read_mapping(text=res.read_text(encoding="utf-8"), where=f"claimgraph/importers/mappings/{FORMATS[format][0]}")
    return read_mapping(mapping)


def mapping_text(format: str) -> str:
    """The shipped mapping file of a well-known format (to copy and adapt)."""
    if format not in FORMATS:
        raise ClaimgraphError(f"unknown import format {format!r} (formats: {', '.join(sorted(FORMATS))})")
    return resources.files(__name__).joinpath("mappings", FORMATS[format][0]).read_text(encoding="utf-8")


def rejects_path(output: str | Path, reader: str) -> Path:
    """Where the rejects go by default: beside the output folder, ``OUT.rejects.csv`` (CSV
    input) or ``OUT.rejects.jsonl`` (JSON input). Not inside it: the folder is a dataset."""
    out = Path(output)
    return out.with_name(out.name + (".rejects.csv" if reader == "csv" else ".rejects.jsonl"))


def write_vocabulary(folder: Path, extension: dict[str, Any]) -> Path | None:
    """Write a dataset folder's vocabulary extension (the vocabulary branch's format: the
    sections of ``claimgraph/vocabulary.yaml`` holding only what the dataset adds). The only
    place the importers write one."""
    if not extension:
        return None
    import yaml

    path = Path(folder) / VOCABULARY_FILE
    head = ("# What this dataset adds to claimgraph's built-in vocabulary (claimgraph/vocabulary.yaml),\n"
            "# in the same format; claimgraph reads it with the dataset folder.\n")
    body = yaml.safe_dump({"version": 1, **extension}, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(head + body, encoding="utf-8")
    return path


def _write_rejects(fh, result) -> None:
    """Each rejected row with its reasons: CSV rows keep their cells (after ``reject_row`` and
    ``reject_reason``), JSON records are kept whole (one JSON object per line)."""
    if result.reader == "csv":
        header = next((r.columns for r in result.rows.values() if r.columns), [])
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["reject_row", "reject_reason", *header])
        for n, reasons in result.rejects.items():
            row = result.rows[n]
            cells = list(row.raw) if isinstance(row.raw, list) else []
            w.writerow([n, "; ".join(reasons), *cells])
    else:
        for n, reasons in result.rejects.items():
            row = result.rows[n]
            fh.write(json.dumps({"row": n, "reason": "; ".join(reasons), "record": row.raw},
                                    ensure_ascii=False, default=str) + "\n")


def import_file(path: str | Path, output: str | Path | None = None, *, mapping: str | Path | None = None,
                format: str | None = None, skip_invalid: bool = False, rejects: str | Path | None = None,
                out_format: str = "yaml", language: str | None = None) -> dict[str, Any]:
    """Import ``path`` with a mapping file or a well-known ``format``; with ``output``, write the
    dataset folder (``yaml`` or ``csv``) and, when rows were set aside (``skip_invalid``), the
    rejects file. Returns the report: counts, rejects, notes and the paths written.
    ``language``: for Wikidata entity JSON, the language of entity names (the mapping's
    ``wikidata.language``; the other labels become aliases).

    Without ``skip_invalid`` a file with bad rows raises :class:`DatasetError` listing every
    problem, and nothing is written.
    """
    from .engine import run_import

    if out_format not in ("yaml", "csv"):
        raise ClaimgraphError(f"unknown output format {out_format!r}: use yaml or csv")
    path = Path(path)
    if not path.is_file():
        raise ClaimgraphError(f"{path}: no such file (give the CSV or JSON file to import)")
    m = mapping_for(mapping, format)
    if language is not None:
        if m.reader != "wikidata":
            raise ClaimgraphError("--language is for Wikidata entity JSON (--format wikidata, or a mapping with reader: wikidata)")
        if not re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]{1,8})*", language):
            raise ClaimgraphError(f"--language {language!r} is not a language code such as en, de, zh-hans")
        from .wikidata import WikidataOptions

        m = m.model_copy(update={"wikidata": (m.wikidata or WikidataOptions()).model_copy(update={"language": language})})
    from ..gcutil import gc_paused

    with gc_paused():  # millions of small objects, no cycles: full collections would dominate
        result = run_import(path, m, skip_invalid=skip_invalid)
    report: dict[str, Any] = {"counts": result.counts, "rejects": result.rejects, "unmapped": result.unmapped,
                              "notes": result.notes + list(result.dataset.notices), "extension": result.extension,
                              "result": result}
    if output is None:
        return report
    from ..landscape import Landscape

    land = Landscape.from_dataset(result.dataset, result.vocabulary)
    rej = Path(rejects) if rejects else rejects_path(output, result.reader)
    if rej.resolve() == path.resolve():
        raise ClaimgraphError(f"{rej} is the input file: give the rejects another name (--rejects FILE)")
    replaceable = OUTPUT_NAMES | {VOCABULARY_FILE}
    # both outputs appear together or not at all: the rejects file is renamed into place only
    # after the folder was (a failure writing either leaves neither)
    with contextlib.ExitStack() as stack:
        stack.enter_context(gc_paused())
        fh = stack.enter_context(atomic_write(rej)) if result.rejects else None
        with atomic_folder(output, replaceable) as tmp:
            if out_format == "yaml":
                from ..io.yaml_io import write_yaml

                write_yaml(land, tmp)
            else:
                from ..io.csv_io import write_csv

                write_csv(land, tmp)
            write_vocabulary(tmp, result.extension)
            if fh is not None:
                _write_rejects(fh, result)
    report["output"] = str(output)
    report["rejects_file"] = str(rej) if result.rejects else None
    if not result.rejects and rej.exists():
        report["notes"].append(f"{rej} is from an earlier import: no row was rejected this time")
    return report

