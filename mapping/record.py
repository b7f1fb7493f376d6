"""The neutral article record every parser produces, whatever the rendering.

Line numbers are 1-based lines of the source file, so every fact can point back to the
exact line it came from.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InfoboxValue:
    """One item of an infobox field, e.g. ``Hay'at Tahrir al-Sham (2018)``."""

    text: str  # the name or value, cleaned of qualifiers, citation marks and furniture
    qualifiers: tuple[str, ...]  # parenthesised qualifiers, verbatim: ("2018",), ("denied by Hamas",)
    cites: tuple[int, ...]  # numbers of the citation marks [n] on this item
    line: int  # line the item is on
    evidence: str  # the exact source line (stripped) the item was read from


@dataclass(frozen=True)
class InfoboxField:
    label: str  # the label as the article shows it ("Allies", "Dates of operation", "Partof")
    values: tuple[InfoboxValue, ...]
    line: int  # line of the label
    role: str | None = None  # a paired "<label> Label" field's text (wikitext "Commander1 Label")


@dataclass(frozen=True)
class Sentence:
    text: str  # the sentence verbatim, citation marks included (the evidence)
    plain: str  # the sentence without citation marks (what rules read)
    line: int
    cites: tuple[int, ...]
    item: bool = False  # a list item ("  • Jaish al-Izzah"), not running text


@dataclass(frozen=True)
class Section:
    title: str  # "" for the lead
    paragraphs: tuple[tuple[Sentence, ...], ...]


@dataclass(frozen=True)
class Reference:
    number: int
    text: str
    line: int


@dataclass(frozen=True)
class ArticleRecord:
    title: str
    title_line: int
    rendering: str  # "infobox-wikitext" | "rendered-page" | "prose"
    native_names: tuple[str, ...] = ()  # names in Arabic script
    infobox: tuple[InfoboxField, ...] = ()
    sections: tuple[Section, ...] = ()
    references: tuple[Reference, ...] = ()

    def field_labels(self) -> list[str]:
        return [f.label for f in self.infobox]


class ArticleError(ValueError):
    """Raised by a parser for input it cannot map; carries the line the problem is on."""

    def __init__(self, message: str, *, line: int) -> None:
        super().__init__(message)
        self.line = line
