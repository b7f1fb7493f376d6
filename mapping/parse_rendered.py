"""A web page flattened to text: title line, page furniture, maybe a lead paragraph, an
infobox whose labels are glued to their values (``HeadquartersYarmouk Camp, Damascus``) and
whose values run over the following lines, then headings and paragraphs."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .body import Line, build_body, is_prose, lead_native_names, short_line_heading
from .marks import strip_marks
from .names import arabic_names
from .record import ArticleError, ArticleRecord, InfoboxField, InfoboxValue
from .tables import Tables
from .values import make_value, split_items

# A label may be glued to a lowercase value only for these openings ("operationc. 2012").
_GLUED_LOWER = re.compile(r"^(?:c\.|ca\.|al-|ad-|an-|ar-|as-|ash-|at-|az-|https?:|www\.|the\s)")
# What follows a label that also opens image captions when it is a caption ("Logo of ...").
_CAPTION_REST = re.compile(r"\s+(?:of|in|for|from|during)\b")
# A line that opens with an image file name is a caption or flag, never a label.
_IMAGE_START = re.compile(r"^[^\n]*?\.(?:svg|png|jpe?g|gif)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Labels:
    """The infobox labels of rendered pages, longest first so "Active regions" wins over
    "Active"; ``captions`` are labels that also open image captions ("Logo of ...")."""

    ordered: tuple[str, ...]
    captions: frozenset[str]
    # ``ordered`` by first character, in the same order: every line of every rendered page is
    # tried, and a line can only start with the labels that start with its first character.
    by_first: Mapping[str, tuple[str, ...]]

    @classmethod
    def of(cls, tables: Tables) -> Labels:
        unmapped = {x for spec in tables.fields if spec.relation is None for x in spec.labels}
        ordered = tuple(tables.all_labels())
        by_first: dict[str, list[str]] = {}
        for label in ordered:
            by_first.setdefault(label[:1], []).append(label)
        return cls(ordered=ordered, captions=frozenset(unmapped),
                   by_first={first: tuple(labels) for first, labels in by_first.items()})

    def match(self, raw: str) -> tuple[str, str] | None:
        """(label, rest) when an infobox label starts the line."""
        if not raw or raw[0].isspace():
            return None
        for label in self.by_first.get(raw[0], ()):
            if not raw.startswith(label):
                continue
            rest = raw[len(label) :]
            if rest[:1].isspace() and label in self.captions and _IMAGE_START.match(raw):
                return None  # "Flag of Syria.svg Syrian Army": a file name, not the label "Flag"
            if label in self.captions and _CAPTION_REST.match(rest):
                return None  # a caption ("Logo of ...", "Flag of ... (2016–2017)")
            if not rest or rest[0] in " \t([\"'":
                return label, rest.strip()
            first = rest[0]
            if first.isupper() or first.isdigit() or not first.isalpha() or _GLUED_LOWER.match(rest):
                return label, rest.strip()
        return None


def count_labels(text: str, *, tables: Tables) -> int:
    labels = Labels.of(tables)
    # The label first: it is the cheaper test, and few lines pass it.
    return sum(1 for raw in text.splitlines() if labels.match(raw.rstrip()) and not is_prose(raw))


def parse_rendered(text: str, *, tables: Tables) -> ArticleRecord:
    lines: list[Line] = [(n, t.rstrip()) for n, t in enumerate(text.splitlines(), start=1)]
    content = [(i, n, t) for i, (n, t) in enumerate(lines) if t.strip()]
    if not content:
        raise ArticleError("empty article", line=1)
    title_index, title_line, title = content[0]
    title = strip_marks(title.strip())[0]
    labels = Labels.of(tables)
    first_label = next(
        (i for i, _, t in content[1:] if labels.match(t)), None
    )
    if first_label is None:
        raise ArticleError("no infobox label found in a rendered page", line=title_line)
    end = _infobox_end(lines, first_label, labels=labels, tables=tables)
    lead = [(n, t) for n, t in lines[title_index + 1 : first_label] if is_prose(t)]
    header = [t for _, t in lines[title_index + 1 : first_label] if t.strip() and not is_prose(t)]
    native = [name for t in header for name in arabic_names(t)]
    infobox = _fields(lines[first_label:end], labels=labels, tables=tables)
    sections, references = build_body(
        lines[end:], is_heading=short_line_heading, tables=tables, lead=lead
    )
    native.extend(lead_native_names(sections))
    return ArticleRecord(
        title=title,
        title_line=title_line,
        rendering="rendered-page",
        native_names=tuple(dict.fromkeys(native)),
        infobox=tuple(infobox),
        sections=sections,
        references=references,
    )


def _infobox_end(lines: Sequence[Line], start: int, *, labels: Labels, tables: Tables) -> int:
    """Index of the first body line: the first running-text line after the infobox, or the
    heading just before it (a short line that names no known thing)."""
    for index in range(start + 1, len(lines)):
        text = lines[index][1]
        if not text.strip() or labels.match(text):
            continue
        if is_prose(text):
            previous = index - 1
            while previous > start and not lines[previous][1].strip():
                previous -= 1
            if previous > start and _is_heading_after_infobox(previous, lines, labels, tables):
                return previous
            return index
    return len(lines)


def _is_heading_after_infobox(
    index: int, lines: Sequence[Line], labels: Labels, tables: Tables
) -> bool:
    """A short line before the first paragraph is a heading unless it is a value: a known
    name, or the only value of the label line just above it ("Battles and wars" / "Syrian
    Civil War")."""
    text = lines[index][1]
    if short_line_heading(index, lines) is None or labels.match(text):
        return False
    if tables.lookup(text.strip()) is not None:
        return False
    above = index - 1
    while above >= 0 and not lines[above][1].strip():
        above -= 1
    labelled = labels.match(lines[above][1]) if above >= 0 else None
    return not (labelled and not labelled[1])


def _fields(lines: Sequence[Line], *, labels: Labels, tables: Tables) -> list[InfoboxField]:
    fields: list[InfoboxField] = []
    current: tuple[str, int] | None = None
    values: list[InfoboxValue] = []

    def close() -> None:
        if current is not None:
            fields.append(InfoboxField(label=current[0], values=tuple(values), line=current[1]))

    for number, raw in lines:
        if not raw.strip():
            continue
        labelled = labels.match(raw)
        if labelled:
            close()
            label, rest = labelled
            current, values = (label, number), []
            _add_line(values, rest, number=number, evidence=raw.strip(), tables=tables)
            spec = tables.field_for_label(label)
            if spec is not None and spec.inline:
                close()
                current = None
        elif current is not None:
            _add_line(values, raw.strip(), number=number, evidence=raw.strip(), tables=tables)
    close()
    return fields


def _add_line(
    values: list[InfoboxValue], text: str, *, number: int, evidence: str, tables: Tables
) -> None:
    """One line of a rendered infobox is one value, except "a; b" lists; a line that is only
    a qualifier ("(2013–2016)[26]") qualifies the value above it."""
    if not text:
        return
    for item in split_items(text, separators=";"):
        value = make_value(item, line=number, evidence=evidence, tables=tables)
        if value is None:
            continue
        if not value.text and values:
            prior = values[-1]
            values[-1] = InfoboxValue(
                text=prior.text,
                qualifiers=prior.qualifiers + value.qualifiers,
                cites=prior.cites + value.cites,
                line=prior.line,
                evidence=prior.evidence,
            )
            continue
        values.append(value)
