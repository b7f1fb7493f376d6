"""Splitting a paragraph into sentences, each keeping its citation marks."""

from __future__ import annotations

import re

from .marks import strip_marks
from .record import Sentence

# Words ending in a period that do not end a sentence.
_ABBREVIATIONS = frozenset(
    x.casefold()
    for x in (
        "Col.", "Dr.", "Brig.", "Gen.", "Maj.", "Capt.", "Lt.", "Sgt.", "Mr.", "Mrs.", "Ms.",
        "St.", "Mt.", "Jr.", "Sr.", "No.", "p.", "pp.", "c.", "ca.", "lit.", "vs.", "e.g.", "i.e.",
        "U.S.", "U.N.", "U.K.", "Jan.", "Feb.", "Mar.", "Apr.", "Aug.", "Sep.", "Sept.", "Oct.",
        "Nov.", "Dec.", "al.", "approx.", "est.", "Fig.", "Sheikh.",
    )
)
# A candidate end: terminal punctuation, closing quotes/brackets, then citation marks.
_INITIALS = re.compile(r"(?:[A-Z]\.)+")
_END = re.compile(r"[.!?][\"”’)]*(?:\[[^\]]{1,25}\])*(?=\s+[\"“‘(A-Z0-9\u0600-\u06FF])")


def split_sentences(paragraph: str, *, line: int) -> list[Sentence]:
    sentences: list[Sentence] = []
    start = 0
    for match in _END.finditer(paragraph):
        end = match.end()
        before = paragraph[start : match.start() + 1]
        last_word = before.split()[-1] if before.split() else ""
        if last_word.casefold() in _ABBREVIATIONS or _INITIALS.fullmatch(last_word):
            continue
        _add(sentences, paragraph[start:end], line)
        start = end
    _add(sentences, paragraph[start:], line)
    return sentences


def _add(sentences: list[Sentence], text: str, line: int) -> None:
    verbatim = text.strip()
    if not verbatim:
        return
    plain, cites = strip_marks(verbatim)
    sentences.append(Sentence(text=verbatim, plain=plain, line=line, cites=cites))
