"""Detect an article's rendering and parse it into the neutral record."""

from __future__ import annotations

import re
from functools import lru_cache

from .parse_prose import parse_prose
from .parse_rendered import count_labels, parse_rendered
from .parse_wikitext import looks_like as looks_like_wikitext
from .parse_wikitext import parse_wikitext
from .record import ArticleError, ArticleRecord
from .tables import Tables

RENDERINGS = ("infobox-wikitext", "rendered-page", "prose")


def detect_rendering(text: str, *, tables: Tables) -> str:
    """Never asks the user: a ``= Title =`` first line is wikitext; two or more infobox labels
    at line starts make a rendered page; anything else is prose."""
    if looks_like_wikitext(text):
        return "infobox-wikitext"
    if count_labels(text, tables=tables) >= 2:
        return "rendered-page"
    return "prose"


def parse_article(text: str, *, tables: Tables) -> ArticleRecord:
    text = prepare(text, tables=tables)
    rendering = detect_rendering(text, tables=tables)
    if rendering == "infobox-wikitext":
        record = parse_wikitext(text, tables=tables)
    elif rendering == "rendered-page":
        record = parse_rendered(text, tables=tables)
    else:
        record = parse_prose(text, tables=tables)
    if not re.search(r"[^\W_]", record.title) or len(record.title) > 200:
        raise ArticleError(f"no recognisable title (first line is {record.title[:60]!r})",
                           line=record.title_line)
    return record


def prepare(text: str, *, tables: Tables) -> str:
    """Fold no-break spaces (pages glue labels with them) and blank out page-furniture lines,
    keeping line numbers, so evidence still points at the right line."""
    lines = text.replace("\u00a0", " ").replace("\r\n", "\n").split("\n")
    furniture = _any_of(tables.furniture)
    return "\n".join(
        "" if line.strip() and furniture.match(line.strip()) else line
        for line in lines
    )


@lru_cache(maxsize=8)
def _any_of(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str]:
    """One expression that matches where one of ``patterns`` does: one try per line of every
    article instead of one per pattern."""
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns) or "(?!)")  # none: no line
