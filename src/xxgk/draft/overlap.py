"""How much of a text repeats earlier years' text: character 8-gram shares and longest common substrings."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

SHINGLE = 8  # characters per shingle (the checker's X3 uses the same n)
SENTENCE_LIMIT = 0.3  # a draft sentence may share at most this share of its 8-grams with a prior §五
LCS_LIMIT = 20  # … and no run of this many characters copied verbatim
_NOISE = re.compile(r"[\s\W_]+")
_SENTENCE_END = re.compile(r"(?<=[。；;！!？?])|\n")
_FULLWIDTH = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff05\uff0e]+")  # full-width digits, letters, ％, ．
_CJK_GAP = re.compile(r"(?<=[^\x00-\x7f])[ \t\u3000]*\n[ \t\u3000]*(?=[^\x00-\x7f\d])|(?<=[^\x00-\x7f])[ \t\u3000]+(?=[^\x00-\x7f])")


def plain(text: str) -> str:
    """Text without spaces, punctuation or line breaks, NFKC: what overlap is measured on."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", text))


def unwrap(text: str) -> str:
    """Join lines a PDF wrapped inside Chinese text, NFKC, spaces between CJK characters dropped."""
    t = _FULLWIDTH.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text).replace("\u00a0", " ")
    t = _CJK_GAP.sub("", t)
    t = re.sub(r"(?<=\d) +(?=[年月日件个条%])|(?<=[年月日])\s+(?=\d)", "", t)
    return t.strip()


def sentences(text: str) -> list[str]:
    """Sentences (split at 。；！？ and line breaks), stripped, non-empty."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def shingles(text: str, n: int = SHINGLE) -> set[str]:
    t = plain(text)
    return {t[i : i + n] for i in range(max(0, len(t) - n + 1))}


def shingle_share(text: str, other: str, n: int = SHINGLE) -> float:
    """Share of ``text``'s n-character shingles that also occur in ``other`` (0 for a text shorter than n)."""
    mine = shingles(text, n)
    if not mine:
        return 0.0
    return len(mine & shingles(other, n)) / len(mine)


def longest_common(text: str, other: str) -> str:
    """The longest run of characters (after ``plain``) that ``text`` and ``other`` share."""
    a, b = plain(text), plain(other)
    if not a or not b:
        return ""
    best, best_end = 0, 0
    prev = [0] * (len(b) + 1)
    for i, ca in enumerate(a, 1):
        cur = [0] * (len(b) + 1)
        for j, cb in enumerate(b, 1):
            if ca == cb:
                cur[j] = prev[j - 1] + 1
                if cur[j] > best:
                    best, best_end = cur[j], i
        prev = cur
    return a[best_end - best : best_end]


@dataclass(frozen=True)
class Copied:
    """One sentence of a text that repeats a prior year's §五."""

    sentence: str
    year: int | None
    share: float  # share of the sentence's 8-grams in that year's text
    passage: str  # the longest run copied verbatim

    @property
    def is_copy(self) -> bool:
        return self.share > SENTENCE_LIMIT or len(self.passage) >= LCS_LIMIT


@dataclass(frozen=True)
class OverlapReport:
    """Overlap of a text with the prior years' §五: the whole text's share, and per sentence."""

    share: float  # share of the whole text's 8-grams found in any prior §五
    max_sentence_share: float  # the highest per-sentence share
    longest: str  # the longest verbatim run shared with any prior §五
    sentences: tuple[Copied, ...]  # every sentence with some overlap, highest first

    @property
    def copies(self) -> list[Copied]:
        return [c for c in self.sentences if c.is_copy]


def overlap_report(text: str, priors: dict[int | None, str]) -> OverlapReport:
    """Overlap of ``text`` with each prior year's text (keyed by year)."""
    priors = {y: t for y, t in priors.items() if t and t.strip()}
    if not priors or not plain(text):
        return OverlapReport(0.0, 0.0, "", ())
    prior_shingles = set().union(*(shingles(t) for t in priors.values()))
    mine = shingles(text)
    share = len(mine & prior_shingles) / len(mine) if mine else 0.0
    found: list[Copied] = []
    longest = ""
    for s in sentences(unwrap(text)):
        for year, prior in priors.items():
            sh = shingle_share(s, prior)
            run = longest_common(s, prior)
            if len(run) > len(longest):
                longest = run
            if sh > 0 or len(run) >= SHINGLE:
                found.append(Copied(s, year, sh, run))
    found.sort(key=lambda c: (-c.share, -len(c.passage)))
    return OverlapReport(share, max((c.share for c in found), default=0.0), longest, tuple(found))
