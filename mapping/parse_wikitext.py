"""Wikitext-like rendering: ``= Title =``, name lines, ``- Key: value`` infobox lines, then
``== Section ==`` headings and one paragraph per line."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .body import Line, build_body, lead_native_names
from .names import arabic_names
from .record import ArticleError, ArticleRecord, InfoboxField
from .tables import Tables
from .values import make_value, split_items

TITLE = re.compile(r"^=\s*(?P<title>[^=].*?)\s*=$")
HEADING = re.compile(r"^(?P<level>={2,6})\s*(?P<title>.+?)\s*(?P=level)$")
FIELD = re.compile(r"^-\s+(?P<key>[A-Za-z][\w()/' -]{0,40}?):\s?(?P<value>.*)$")
_LABEL_PAIR = re.compile(r"^(?P<base>.+?)\s+Label$", re.IGNORECASE)


def looks_like(text: str) -> bool:
    lines = [x for x in text.splitlines() if x.strip()]
    return bool(lines) and bool(TITLE.match(lines[0].strip()))


def parse_wikitext(text: str, *, tables: Tables) -> ArticleRecord:
    lines: list[Line] = list(enumerate(text.splitlines(), start=1))
    title, title_line, start = _title(lines)
    native: list[str] = []
    raw_fields: list[tuple[int, str, str, str]] = []
    index = start
    # Name lines and infobox lines come before the first heading or paragraph.
    while index < len(lines):
        number, raw = lines[index]
        stripped = raw.strip()
        field = FIELD.match(stripped)
        if field:
            raw_fields.append(
                (number, field.group("key").strip(), field.group("value").strip(), stripped)
            )
        elif HEADING.match(stripped) or (stripped and raw_fields):
            break
        elif stripped:
            native.extend(arabic_names(stripped))
        index += 1
    infobox = _fields(raw_fields, tables=tables)
    body = lines[index:]
    sections, references = build_body(body, is_heading=_heading, tables=tables)
    native.extend(lead_native_names(sections))
    return ArticleRecord(
        title=title,
        title_line=title_line,
        rendering="infobox-wikitext",
        native_names=tuple(dict.fromkeys(native)),
        infobox=tuple(infobox),
        sections=sections,
        references=references,
    )


def _title(lines: Sequence[Line]) -> tuple[str, int, int]:
    for index, (number, raw) in enumerate(lines):
        if raw.strip():
            match = TITLE.match(raw.strip())
            if not match:
                raise ArticleError("no '= Title =' line", line=number)
            return match.group("title"), number, index + 1
    raise ArticleError("empty article", line=1)


def _heading(index: int, lines: Sequence[Line]) -> str | None:
    match = HEADING.match(lines[index][1].strip())
    return match.group("title") if match else None


def _fields(raw_fields: list[tuple[int, str, str, str]], *, tables: Tables) -> list[InfoboxField]:
    # "Commander1 Label: Current Commander" names the role of "Commander1".
    roles = {}
    for _, key, value, _ in raw_fields:
        pair = _LABEL_PAIR.match(key)
        if pair:
            roles[pair.group("base").casefold()] = value
    fields = []
    for number, key, value, evidence in raw_fields:
        if _LABEL_PAIR.match(key):
            continue
        values = [
            v
            for item in split_items(value)
            if (v := make_value(item, line=number, evidence=evidence, tables=tables)) is not None
        ]
        fields.append(
            InfoboxField(label=key, values=tuple(values), line=number, role=roles.get(key.casefold()))
        )
    return fields
