"""Names from real data: slugs for ids in any script, and the folded forms entity matching
compares (legal-form suffixes such as Inc., GmbH, 株式会社 set aside).

>>> slug("Deutsche Börse")
'deutsche-borse'
>>> slug("One Block Off the Grid (1BOG)")
'one-block-off-the-grid-1bog'
>>> slug("株式会社東芝")  # no ASCII form: a short stable hash
'x-25b584bc'
>>> match_key("Adolf Würth GmbH & Co. KG")
'adolf wurth'
>>> match_key("トヨタ自動車株式会社")
'トヨタ自動車'
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["slug", "fold", "match_key", "short_hash", "LEGAL_FORMS"]

_NON_SLUG = re.compile(r"[^a-z0-9]+")
#: the longest id part :func:`slug` makes (ids may have 120 characters; claim ids join parts)
MAX_SLUG = 60

#: legal-form words set aside when names are compared (lower case, without dots)
LEGAL_FORMS = frozenset("""
inc incorporated corp corporation co company companies ltd limited llc llp lp plc pllc
gmbh ag kg kgaa ohg ug ev mbh se sa sas sarl sàrl spa srl sl bv nv oy oyj ab asa as aps
pty pte bhd sdn kk kft zrt nyrt sp zoo sro spol ooo oao zao pao jsc ojsc cjsc pjsc ao
holding holdings group the
""".split())
#: legal forms written without spaces in CJK names
_CJK_FORMS = ("株式会社", "有限会社", "合同会社", "有限公司", "股份有限公司", "集团", "公司", "주식회사", "(주)", "㈱")


def short_hash(text: str, n: int = 8) -> str:
    """A short stable hex digest of ``text``."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()[:n]


def fold(text: str) -> str:
    """NFKD, accents dropped, case-folded, white space collapsed (scripts without an ASCII
    form are kept as they are)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("ß", "ss").replace("ø", "o").replace("Ø", "o").replace("đ", "d").replace("ł", "l")
    return " ".join(text.casefold().split())


def slug(text: str, max_len: int = MAX_SLUG) -> str:
    """An id part for ``text`` in any script: its ASCII letters and digits joined by ``-``; a
    name with no ASCII form (CJK, Cyrillic without accents to drop...) gets ``x-`` and a short
    stable hash of the name. Too long a slug is cut and given the hash, so that it stays unique."""
    base = _NON_SLUG.sub("-", fold(text).encode("ascii", "ignore").decode()).strip("-")
    if not base:
        return f"x-{short_hash(text)}"
    if len(base) > max_len:
        base = base[: max_len - 9].rstrip("-") + "-" + short_hash(text)
    return base


_PUNCT = re.compile(r"[\s\-_.,;:!?'\"“”‘’„«»()\[\]{}/\\&+*#|@]+")


def match_key(name: str) -> str:
    """The form two names are compared in: folded, punctuation gone, legal-form words set
    aside (an empty result keeps them: a company called "Holding AG" stays itself)."""
    text = unicodedata.normalize("NFKC", name)
    for form in _CJK_FORMS:
        text = text.replace(form, " ")
    words = [w for w in _PUNCT.split(fold(text)) if w]
    kept = [w for w in words if w not in LEGAL_FORMS]
    return " ".join(kept or words)
