"""The literal text every match of a regular expression must contain.

A sentence is tried against every relation pattern; most patterns need a word the sentence
does not have ("defected", "allied"). Checking for that word with ``in`` before running the
expression skips most of the work, and cannot change a result: only text that every match
contains is required. Patterns whose parse is not understood require nothing.
"""

from __future__ import annotations

import re
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parser  # type: ignore[attr-defined]

_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT,
            getattr(sre_constants, "POSSESSIVE_REPEAT", sre_constants.MAX_REPEAT)}


def required_text(pattern: re.Pattern[str]) -> tuple[str, ...]:
    """Literal strings that occur in every match of ``pattern`` (longest first)."""
    if pattern.flags & re.IGNORECASE:
        return ()
    try:
        tree = sre_parser.parse(pattern.pattern, pattern.flags)
    except (re.error, AttributeError, TypeError):
        return ()
    found: list[str] = []
    _walk(tree, found)
    return tuple(sorted({s for s in found if s.strip()}, key=lambda s: (-len(s), s)))


def _walk(items: object, found: list[str]) -> None:
    run: list[str] = []
    for op, av in items:  # type: ignore[attr-defined]
        if op is sre_constants.LITERAL:
            run.append(chr(av))
            continue
        found.append("".join(run))
        run = []
        if op is sre_constants.SUBPATTERN:
            _group, add_flags, _del_flags, sub = av
            if not add_flags & re.IGNORECASE:
                _walk(sub, found)
        elif op in _REPEATS:
            low, _high, sub = av
            if low >= 1:
                _walk(sub, found)
        elif op is getattr(sre_constants, "ATOMIC_GROUP", None):
            _walk(av, found)
        # Alternatives, classes, anchors and lookarounds require no particular text.
    found.append("".join(run))


def required_choices(pattern: re.Pattern[str]) -> tuple[tuple[str, ...], ...]:
    """Alternatives of which every match of ``pattern`` contains at least one, per group of
    alternatives the pattern must pass through: ``(?:captured|seized|took)`` gives
    ``("captured", "seized", "took")``. A group one of whose alternatives requires no text
    gives nothing."""
    if pattern.flags & re.IGNORECASE:
        return ()
    try:
        tree = sre_parser.parse(pattern.pattern, pattern.flags)
    except (re.error, AttributeError, TypeError):
        return ()
    choices: list[tuple[str, ...]] = []
    _walk_choices(tree, choices)
    return tuple(sorted(set(choices)))


def _walk_choices(items: object, choices: list[tuple[str, ...]]) -> None:
    for op, av in items:  # type: ignore[attr-defined]
        if op is sre_constants.BRANCH:
            _, branches = av
            picks = []
            for branch in branches:
                found: list[str] = []
                _walk(branch, found)
                texts = [s for s in found if s.strip()]
                if not texts:
                    break
                picks.append(max(texts, key=lambda s: (len(s), s)))
            else:
                choices.append(tuple(sorted(set(picks))))
            # What a single alternative requires is not required: nothing below is walked.
        elif op is sre_constants.SUBPATTERN:
            _group, add_flags, _del_flags, sub = av
            if not add_flags & re.IGNORECASE:
                _walk_choices(sub, choices)
        elif op in _REPEATS:
            low, _high, sub = av
            if low >= 1:
                _walk_choices(sub, choices)
        elif op is getattr(sre_constants, "ATOMIC_GROUP", None):
            _walk_choices(av, choices)
