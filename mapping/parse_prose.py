"""Plain prose: paragraphs (one per line), maybe a title line, headings as short lines or as
a label glued before a paragraph ("Ideology: In early 2014, ...")."""

from __future__ import annotations

import re

from .body import Line, build_body, is_prose, lead_native_names, short_line_heading
from .marks import strip_marks
from .record import ArticleError, ArticleRecord
from .tables import Tables

# The subject of a lead sentence: "Jund al-Aqsa is a ...", "The Popular Front ... (...) is a".
_SUBJECT = re.compile(
    r"^(?:The\s+)?(?P<name>[A-Z0-9][^.()]{1,120}?)\s*(?:\([^)]*\)\s*)?,?\s+"
    r"(?:is|was|are|were|has been|had been)\s+(?:a|an|the|one)\b"
)


def parse_prose(text: str, *, tables: Tables) -> ArticleRecord:
    lines: list[Line] = [(n, t.rstrip()) for n, t in enumerate(text.splitlines(), start=1)]
    content = [(i, n, t) for i, (n, t) in enumerate(lines) if t.strip()]
    if not content:
        raise ArticleError("empty article", line=1)
    index, number, first = content[0]
    if is_prose(first):
        title = lead_subject(first)
        if title is None:
            raise ArticleError(
                "no title line and the first sentence names no subject ('X is a ...')", line=number
            )
        body = lines[index:]
    else:
        title = strip_marks(first.strip())[0]
        body = lines[index + 1 :]
    sections, references = build_body(body, is_heading=short_line_heading, tables=tables)
    native = lead_native_names(sections)
    return ArticleRecord(
        title=title,
        title_line=number,
        rendering="prose",
        native_names=tuple(dict.fromkeys(native)),
        sections=sections,
        references=references,
    )


def lead_subject(sentence: str) -> str | None:
    plain, _ = strip_marks(sentence.strip())
    match = _SUBJECT.match(plain)
    if not match:
        return None
    name = match.group("name").strip(" ,")
    return name if len(name.split()) <= 12 else None
