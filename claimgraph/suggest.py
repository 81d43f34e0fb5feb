""""Did you mean ...?" in linear time: close matches found through an index, not a scan.

:func:`difflib.get_close_matches` compares a word with every choice; once per bad reference
that is quadratic (20,000 claims naming renamed entities took minutes). A :class:`Suggester`
indexes its choices once (linear in their total length) and answers each word by looking at a
bounded number of candidates:

- the same text up to case and punctuation (``Nvidia``, ``nvidia_``),
- one deletion on either side (typos: a letter missing, extra, changed or two swapped),
- the choices sharing the most rare trigrams with the word,

scored as difflib scores them (:class:`difflib.SequenceMatcher` ratio, at least ``cutoff``,
ignoring case).
Answers are remembered: a renamed entity referenced 10,000 times is looked up once.

>>> s = Suggester(["nvidia", "tesla", "samsung", "aliases"])
>>> s.best("nvdia"), s.best("Tesla"), s.best("alias"), s.best("qualcomm")
('nvidia', 'tesla', 'aliases', None)
>>> s.hint("tesal")
": did you mean 'tesla'?"
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher

__all__ = ["Suggester", "did_you_mean"]

#: words are compared on at most this many characters (a 200 KB bad value is not a typo)
_MAX_LEN = 120
#: deletion variants are indexed for choices up to this length
_MAX_DELETE_LEN = 40
#: postings looked at per word, and candidates scored per word
_BUDGET = 3000
_SCORED = 24
_PUNCT = re.compile(r"[\s\-_.:/]+")


def _norm(word: str) -> str:
    return _PUNCT.sub("", word[:_MAX_LEN].casefold())


def _grams(norm: str) -> set[str]:
    padded = f"\x01{norm}\x02"
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


def _deletions(norm: str) -> set[str]:
    return {norm[:i] + norm[i + 1:] for i in range(len(norm))} | {norm}


class Suggester:
    """The closest of ``choices`` to a word (see the module docstring). Choices may be any
    iterable of strings (a dict's keys); they are read once, when the first word is asked."""

    def __init__(self, choices: Iterable[str], cutoff: float = 0.6):
        self._source = choices
        self.cutoff = cutoff
        self._choices: list[str] | None = None
        self._cache: dict[str, str | None] = {}

    def _build(self) -> None:
        choices = list(dict.fromkeys(c for c in self._source if isinstance(c, str)))
        self._choices = choices
        self._exact: dict[str, list[int]] = {}
        self._deleted: dict[str, list[int]] = {}
        self._trigrams: dict[str, list[int]] = {}
        for i, c in enumerate(choices):
            n = _norm(c)
            self._exact.setdefault(n, []).append(i)
            if len(n) <= _MAX_DELETE_LEN:
                for d in _deletions(n):
                    self._deleted.setdefault(d, []).append(i)
            for g in _grams(n):
                self._trigrams.setdefault(g, []).append(i)

    def best(self, word: str) -> str | None:
        """The closest choice with a ratio of at least ``cutoff``, or None."""
        if word in self._cache:
            return self._cache[word]
        if self._choices is None:
            self._build()
        found = self._best(word)
        if len(self._cache) < 100_000:
            self._cache[word] = found
        return found

    def hint(self, word: str) -> str:
        """``": did you mean 'x'?"`` or ``""``."""
        match = self.best(word)
        return f": did you mean {match!r}?" if match is not None else ""

    def _best(self, word: str) -> str | None:
        choices = self._choices
        assert choices is not None
        if not choices:
            return None
        n = _norm(word)
        cands: dict[int, int] = {}
        budget = _BUDGET
        exact = self._exact.get(n)
        if exact:  # the same but for case and punctuation
            return choices[exact[0]]
        if len(n) <= _MAX_DELETE_LEN + 1:
            for d in _deletions(n):
                hits = self._deleted.get(d, ())
                if len(hits) > budget:
                    continue
                budget -= len(hits)
                for i in hits:
                    cands[i] = cands.get(i, 0) + (1 << 10)
        grams = sorted((self._trigrams.get(g, ()) for g in _grams(n)), key=len)
        for hits in grams:
            if not hits or len(hits) > budget:
                continue
            budget -= len(hits)
            for i in hits:
                cands[i] = cands.get(i, 0) + 1
        if not cands:
            return None
        top = sorted(cands, key=lambda i: (-cands[i], i))[:_SCORED]
        w = word[:_MAX_LEN].casefold()
        best, best_score = None, self.cutoff
        for i in top:
            c = choices[i]
            m = SequenceMatcher(None, w, c[:_MAX_LEN].casefold())
            if m.real_quick_ratio() >= best_score and m.quick_ratio() >= best_score:
                score = m.ratio()
                if score > best_score or (score == best_score and best is None):
                    best, best_score = c, score
        return best


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """``": did you mean 'x'?"`` for a one-off word among a small set of ``choices``; for many
    words against one set, keep a :class:`Suggester`."""
    return Suggester(choices, cutoff).hint(word)
