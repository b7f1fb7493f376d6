"""Turning the raw text of an infobox item into a clean value with its qualifiers."""

from __future__ import annotations

import re
from functools import lru_cache

from .marks import strip_marks
from .record import InfoboxValue
from .tables import Tables

_BULLETS = re.compile(r"^[\s*•·|#:;]+")
_QUOTED_ONLY = re.compile(r'^["“](.+)["”]$')
# "Syrian Civil War See List of battles": a cross-reference glued to the value.
_SEE_ALSO = re.compile(r"\s+See\s+[A-Z].*$")
_SPACES = re.compile(r"\s{2,}")
_PARENS = re.compile(r"[()]")
# "Historically: Gaza Strip": a label before the name becomes a qualifier.
_PREFIX = re.compile(r"^(?P<label>[A-Z][A-Za-z -]{1,30}):\s+(?P<rest>\S.*)$")


def split_items(text: str, *, separators: str = ",;") -> list[str]:
    """Split on separators outside parentheses; a comma only splits when followed by a space
    or the end, so "9,000" stays whole. Wikitext sub-item marks ("* ", "** ") split too."""
    if "(" not in text and "[" not in text:
        # No brackets, so every separator is outside them: one split instead of a loop over
        # the characters (most items have no qualifier).
        return [x for x in (item.strip() for item in _separator(separators).split(text)) if x]
    # Only brackets and separators change anything: the text between them is taken whole.
    items: list[str] = []
    depth = 0
    last = 0
    for mark in _marks(separators).finditer(text):
        i = mark.start()
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
        if depth == 0 and ch in separators:
            nxt = text[i + 1] if i + 1 < len(text) else " "
            if ch != "," or nxt.isspace():
                items.append(text[last:i])
                last = i + 1
    items.append(text[last:])
    return [x for x in (item.strip() for item in items) if x]


@lru_cache(maxsize=8)
def _marks(separators: str) -> re.Pattern[str]:
    """The characters split_items acts on: brackets and separators."""
    return re.compile(f"[{re.escape('()[]' + separators)}]")


@lru_cache(maxsize=8)
def _separator(separators: str) -> re.Pattern[str]:
    """Where split_items splits outside brackets: a separator, a comma only before whitespace
    (as str.isspace has it, which is what \\s matches) or at the end."""
    return re.compile("|".join(r",(?=\s|\Z)" if ch == "," else re.escape(ch) for ch in separators))


def take_qualifiers(text: str) -> tuple[str, tuple[str, ...]]:
    """Remove top-level parenthesised groups; return the rest and the groups' inner texts."""
    if "(" not in text:  # no group: the text is all rest
        return _SPACES.sub(" ", text).strip(), ()
    qualifiers: list[str] = []
    out: list[str] = []
    depth = 0
    group: list[str] = []
    last = 0
    # Only parentheses change anything: the text between them is taken whole.
    for paren in _PARENS.finditer(text):
        i = paren.start()
        (group if depth else out).append(text[last:i])
        last = i + 1
        if text[i] == "(":
            if depth:
                group.append("(")
            depth += 1
        elif depth:
            depth -= 1
            if depth:
                group.append(")")
            else:
                qualifiers.append("".join(group).strip())
                group = []
                out.append(" ")
        else:
            out.append(")")
    (group if depth else out).append(text[last:])
    if depth and group:  # an unclosed "(" at the end of a truncated article
        qualifiers.append("".join(group).strip())
    rest = _SPACES.sub(" ", "".join(out)).strip()
    return rest, tuple(q for q in qualifiers if q)


def make_value(raw: str, *, line: int, evidence: str, tables: Tables) -> InfoboxValue | None:
    """Clean one item; None when nothing is left (an empty slot such as ", ," or "()")."""
    text, cites = strip_marks(raw)
    text = tables.image_file.sub("", text)
    text = tables.image_size.sub("", text)
    text = _BULLETS.sub("", text).strip()
    text = _SEE_ALSO.sub("", text)
    name, qualifiers = take_qualifiers(text)
    prefixed = _PREFIX.match(name)
    if prefixed and prefixed["label"].casefold() in _PREFIX_QUALIFIERS:
        name, qualifiers = prefixed["rest"], (prefixed["label"], *qualifiers)
    kia = tables.kia_suffix.search(name)
    if kia:
        name = name[: kia.start()]
        qualifiers = (*qualifiers, "KIA")
    name = name.strip(" ,;:|*•-–").strip()
    quoted = _QUOTED_ONLY.match(name)
    if quoted:
        name = quoted.group(1).strip()
    name = _undouble(name)
    if not name and not qualifiers:
        return None
    return InfoboxValue(text=name, qualifiers=qualifiers, cites=cites, line=line, evidence=evidence)


# Words that, written "Word: name", qualify the name rather than naming a role.
_PREFIX_QUALIFIERS = frozenset({"historically", "formerly", "currently", "previously", "de facto", "de jure"})


def _undouble(name: str) -> str:
    """"Iran Iran" and "Ba'athist Syria Ba'athist Syria" (flag alt text + name) -> one name."""
    words = name.split()
    half = len(words) // 2
    if len(words) % 2 == 0 and half and words[:half] == words[half:]:
        return " ".join(words[:half])
    return name
