"""split_items and take_qualifiers look only at brackets and separators and take the text
between them whole: the same results as reading every character, which the references below
do (they are the functions as they were before)."""

from __future__ import annotations

import re

import pytest
from conflict_ld.mapping.values import split_items, take_qualifiers
from hypothesis import given, settings
from hypothesis import strategies as st

_SPACES_RUN = re.compile(r"\s{2,}")


def split_items_by_character(text: str, *, separators: str = ",;") -> list[str]:
    items: list[str] = []
    depth = 0
    current: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
        if depth == 0 and ch in separators:
            nxt = text[i + 1] if i + 1 < len(text) else " "
            if ch != "," or nxt.isspace():
                items.append("".join(current))
                current = []
                i += 1
                continue
        current.append(ch)
        i += 1
    items.append("".join(current))
    return [x for x in (item.strip() for item in items) if x]


def take_qualifiers_by_character(text: str) -> tuple[str, tuple[str, ...]]:
    qualifiers: list[str] = []
    out: list[str] = []
    depth = 0
    group: list[str] = []
    for ch in text:
        if ch == "(":
            if depth:
                group.append(ch)
            depth += 1
            continue
        if ch == ")" and depth:
            depth -= 1
            if depth:
                group.append(ch)
            else:
                qualifiers.append("".join(group).strip())
                group = []
                out.append(" ")
            continue
        (group if depth else out).append(ch)
    if depth and group:
        qualifiers.append("".join(group).strip())
    rest = _SPACES_RUN.sub(" ", "".join(out)).strip()
    return rest, tuple(q for q in qualifiers if q)


TEXTS = [
    "Hamas (until 2012), Hezbollah[3], Iran (2013–2016)[4][5]; Russia",
    "9,000 (2015), 12,000[2]",
    "Ahrar al-Sham (leader, 2011–2014 (acting)), Jaysh al-Islam",
    "(denied by Hamas)",
    ") stray, close (( nested ) and (unclosed",
    "a;b,c, d [note 1, x; y] (p; q, r) ]] ))",
    "",
    "(",
    ")",
    "((()))",
    "Free Syrian Army ( 2012 ) ,",
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("separators", [",;", ";"])
def test_split_items_as_by_character(text: str, separators: str) -> None:
    assert split_items(text, separators=separators) == split_items_by_character(text, separators=separators)


@pytest.mark.parametrize("text", TEXTS)
def test_take_qualifiers_as_by_character(text: str) -> None:
    assert take_qualifiers(text) == take_qualifiers_by_character(text)


def test_the_cases_above_split_and_qualify() -> None:
    """Not a vacuous equality: the table has texts that split and qualify."""
    assert split_items(TEXTS[0]) == ["Hamas (until 2012)", "Hezbollah[3]", "Iran (2013–2016)[4][5]", "Russia"]
    assert take_qualifiers(TEXTS[2]) == ("Ahrar al-Sham , Jaysh al-Islam", ("leader, 2011–2014 (acting)",))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab ,;()[]\t\n–", max_size=40), st.sampled_from([",;", ";"]))
def test_split_and_qualify_random_texts(text: str, separators: str) -> None:
    assert split_items(text, separators=separators) == split_items_by_character(text, separators=separators)
    assert take_qualifiers(text) == take_qualifiers_by_character(text)
