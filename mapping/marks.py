"""Citation marks of rendered pages: ``[16][17]``, ``[a]``, ``[edit]``, ``^{p. 6}``."""

from __future__ import annotations

import re

_MARK = re.compile(
    r"\s?\[(?:\d+|[a-z]{1,2}|edit|citation needed|clarification needed|note \d+|nb \d+|"
    r"better source needed|dubious|when\?|who\?|according to whom\?|failed verification)\]"
    r"|\^\{[^}]*\}",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\[(\d+)\]")
_BLANKS = re.compile(r"[ \t]{2,}")


def strip_marks(text: str) -> tuple[str, tuple[int, ...]]:
    """The text without citation marks, and the numbers of the numeric marks in order."""
    if "[" not in text and "^" not in text:  # every mark has one: most lines have none
        return _BLANKS.sub(" ", text).strip(), ()
    numbers = tuple(dict.fromkeys(int(n) for n in _NUMBER.findall(text)))
    cleaned = _MARK.sub("", text)
    return _BLANKS.sub(" ", cleaned).strip(), numbers
