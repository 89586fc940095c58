"""Cheap upper bounds for difflib's ratio over a fixed list of names.

``SequenceMatcher.ratio()`` is 2*M/(len(a)+len(b)) with M matched characters, and M is at most the
number of characters the two strings share as multisets (difflib's own ``quick_ratio`` bound). With
the names indexed by character, that count comes for every name at once in one pass over the key,
so the expensive ratio is computed only for names whose bound can still win.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable


class SharedChars:
    """A fixed list of names, indexed by character."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = list(names)
        self._by_char: dict[str, list[tuple[int, int]]] = {}  # char -> (name index, count in that name)
        for i, n in enumerate(self.names):
            for ch, c in Counter(n).items():
                self._by_char.setdefault(ch, []).append((i, c))

    def shared(self, key: str) -> list[int]:
        """Per name: how many characters ``key`` shares with it (as multisets)."""
        out = [0] * len(self.names)
        for ch, cc in Counter(key).items():
            for i, nc in self._by_char.get(ch, ()):
                out[i] += cc if cc < nc else nc
        return out


__all__ = ["SharedChars"]
