"""The literal text every match of a regular expression must contain.

A sentence is tried against every relation pattern; most patterns need a word the sentence
does not have ("defected", "allied"). Checking for that word with ``in`` before running the
expression skips most of the work, and cannot change a result: only text that every match
contains is required. Patterns whose parse is not understood require nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parser  # type: ignore[attr-defined]

_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT,
            getattr(sre_constants, "POSSESSIVE_REPEAT", sre_constants.MAX_REPEAT)}


def required_text(pattern: re.Pattern[str], *, any_case: bool = False) -> tuple[str, ...]:
    """Literal strings that occur in every match of ``pattern`` (longest first). ``any_case``:
    strings that occur in every match regardless of case, lowercased, and only ASCII ones
    (see ``contains_any_case``); without it a pattern that ignores case requires nothing."""
    if pattern.flags & re.IGNORECASE and not any_case:
        return ()
    try:
        tree = sre_parser.parse(pattern.pattern, pattern.flags)
    except (re.error, AttributeError, TypeError):
        return ()
    found: list[str] = []
    _walk(tree, found, any_case=any_case)
    texts = {s for s in found if s.strip()}
    if any_case:
        texts = {s.lower() for s in texts if s.isascii()}
    return tuple(sorted(texts, key=lambda s: (-len(s), s)))


# The characters that match an ASCII letter when case is ignored but are not ASCII themselves
# (U+0130, U+0131, U+017F, U+212A: "i", "i", "s", "k"): in a text without them, an ASCII
# string occurs regardless of case exactly where it occurs in the text lowercased.
_FOLDS_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")


def contains_any_case(text: str) -> Callable[[str], bool] | None:
    """``in`` regardless of case for the strings of ``required_text(..., any_case=True)``, or
    None when the text has a character that defeats the test (a pattern must then be tried)."""
    if any(ch in text for ch in _FOLDS_TO_ASCII):
        return None
    return text.lower().__contains__


def _walk(items: object, found: list[str], *, any_case: bool = False) -> None:
    run: list[str] = []
    for op, av in items:  # type: ignore[attr-defined]
        if op is sre_constants.LITERAL:
            run.append(chr(av))
            continue
        found.append("".join(run))
        run = []
        sub = _required_part(op, av, any_case=any_case)
        if sub is not None:
            _walk(sub, found, any_case=any_case)
        # Alternatives, classes, anchors and lookarounds require no particular text.
    found.append("".join(run))


def _required_part(op: object, av: object, *, any_case: bool) -> object | None:
    """The items inside a group, repeat or atomic group that every match passes through, or
    None: a repeat that may match nothing, or a case-ignoring group unless ``any_case``. Both
    walkers descend through this one rule."""
    if op is sre_constants.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av  # type: ignore[misc]
        return sub if any_case or not add_flags & re.IGNORECASE else None
    if op in _REPEATS:
        low, _high, sub = av  # type: ignore[misc]
        return sub if low >= 1 else None
    if op is getattr(sre_constants, "ATOMIC_GROUP", None):
        return av
    return None


def required_choices(pattern: re.Pattern[str], *, any_case: bool = False) -> tuple[tuple[str, ...], ...]:
    """Alternatives of which every match of ``pattern`` contains at least one, per group of
    alternatives the pattern must pass through: ``(?:captured|seized|took)`` gives
    ``("captured", "seized", "took")``. A group one of whose alternatives requires no text
    gives nothing. ``any_case``: as for required_text (a group with a string that is not
    ASCII gives nothing)."""
    if pattern.flags & re.IGNORECASE and not any_case:
        return ()
    try:
        tree = sre_parser.parse(pattern.pattern, pattern.flags)
    except (re.error, AttributeError, TypeError):
        return ()
    choices: list[tuple[str, ...]] = []
    _walk_choices(tree, choices, any_case=any_case)
    if any_case:
        choices = [tuple(sorted({c.lower() for c in group})) for group in choices
                   if all(c.isascii() for c in group)]
    return tuple(sorted(set(choices)))


def _walk_choices(items: object, choices: list[tuple[str, ...]], *, any_case: bool = False) -> None:
    for op, av in items:  # type: ignore[attr-defined]
        if op is sre_constants.BRANCH:
            _, branches = av
            picks = []
            for branch in branches:
                found: list[str] = []
                _walk(branch, found, any_case=any_case)
                texts = [s for s in found if s.strip()]
                if not texts:
                    break
                picks.append(max(texts, key=lambda s: (len(s), s)))
            else:
                choices.append(tuple(sorted(set(picks))))
            # What a single alternative requires is not required: nothing below is walked.
        elif (sub := _required_part(op, av, any_case=any_case)) is not None:
            _walk_choices(sub, choices, any_case=any_case)
