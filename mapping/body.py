"""The article body after the infobox: sections, paragraphs, sentences, references.

Renderings differ only in how a heading looks, so the caller passes that test in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from .marks import strip_marks
from .names import arabic_names
from .record import Reference, Section, Sentence
from .sentences import split_sentences
from .tables import Tables

Line = tuple[int, str]  # (1-based line number, text)

_REFERENCE = re.compile(r"^\s*(\d{1,3})\.\s+(?:\^\s*(?:(?:[a-z]{1,2}\s+)+)?)?(?P<text>\S.*)$")
_INLINE_HEADING = re.compile(r"^(?P<title>[A-Z][A-Za-z'’ -]{1,30}):\s+(?P<rest>[A-Z\"“].*)$")
_LIST_ITEM = re.compile(r"^\s*(?:[•·*]|-\s|\d+\.\s)")
_SENTENCE_START = re.compile(r"[A-Z\"“]")
_SENTENCE_END = re.compile(r"[.!?][\"”’)]*$")
_EDIT_MARK = re.compile(r"\s*\[?edit\]$")
_NOT_A_HEADING = re.compile(r"[.:;,!?]$|[()\[\]]|https?:|\.(?:svg|png|jpe?g)\b")


def is_prose(text: str) -> bool:
    """A paragraph of running text rather than a label, value, list item, caption or heading."""
    if _LIST_ITEM.match(text):
        return False
    plain, _ = strip_marks(text.strip())
    words = plain.split()
    if len(words) >= 25:
        return True
    if len(words) < 3:
        return False
    if len(words) < 8:  # a short line is a sentence only when it reads as one
        return bool(_SENTENCE_START.match(plain)) and bool(_SENTENCE_END.search(plain))
    return bool(_SENTENCE_END.search(plain)) or len(split_sentences(plain, line=0)) > 1


def build_body(
    lines: Sequence[Line],
    *,
    is_heading: Callable[[int, Sequence[Line]], str | None],
    tables: Tables,
    lead: Sequence[Line] = (),
) -> tuple[tuple[Section, ...], tuple[Reference, ...]]:
    """Group lines into sections of paragraphs; collect numbered references anywhere."""
    sections: list[Section] = []
    references: list[Reference] = []
    title = ""
    paragraphs: list[tuple[Sentence, ...]] = [_paragraph(n, t) for n, t in lead if t.strip()]

    def close() -> None:
        if paragraphs and title.casefold() not in tables.apparatus_sections:
            sections.append(Section(title=title, paragraphs=tuple(paragraphs)))

    for index, (number, text) in enumerate(lines):
        if not text.strip():
            continue
        ref = _REFERENCE.match(text)
        if ref and (title.casefold() in tables.apparatus_sections or text.startswith(" ")):
            references.append(Reference(number=int(ref.group(1)), text=ref.group("text").strip(),
                                        line=number))
            continue
        heading = is_heading(index, lines)
        if heading is not None:
            close()
            title, paragraphs = heading, []
            continue
        if title.casefold() in tables.apparatus_sections:
            continue
        if _LIST_ITEM.match(text):
            item = _LIST_ITEM.sub("", text).strip()
            if item:
                plain, cites = strip_marks(item)
                paragraphs.append((Sentence(text=item, plain=plain, line=number, cites=cites, item=True),))
            continue
        inline = _INLINE_HEADING.match(text.strip())
        if inline and len(inline.group("title").split()) <= 3:
            close()
            title, paragraphs = inline.group("title"), []
            paragraphs.append(_paragraph(number, inline.group("rest")))
            continue
        if is_prose(text):
            paragraphs.append(_paragraph(number, text.strip()))
    close()
    return tuple(sections), tuple(references)


def lead_native_names(sections: Sequence[Section]) -> list[str]:
    """Arabic names in the first sentence of the lead ("X (Arabic: ..., lit. ...) is a ...")."""
    if sections and sections[0].paragraphs and sections[0].paragraphs[0]:
        return arabic_names(sections[0].paragraphs[0][0].text)
    return []


def _paragraph(number: int, text: str) -> tuple[Sentence, ...]:
    return tuple(split_sentences(text.strip(), line=number))


def short_line_heading(index: int, lines: Sequence[Line]) -> str | None:
    """Rendered pages and prose: a heading is a short line with no end punctuation whose next
    non-blank line is running text or another heading."""
    raw = lines[index][1]
    text = _EDIT_MARK.sub("", raw.strip()).strip()
    if not text or raw[0].isspace() or len(text.split()) > 8 or is_prose(text):
        return None
    # Citation marks, brackets and end punctuation belong to values and captions, not headings.
    if _NOT_A_HEADING.search(text):
        return None
    for _, following in lines[index + 1 :]:
        if following.strip():
            return text if (is_prose(following) or following.strip() in ("edit", "[edit]")) else None
    return text
