"""required_text: the literal text every match of a pattern contains (a prefilter that must
never skip a sentence the pattern matches)."""

from __future__ import annotations

import re

import pytest
from conflict_ld.mapping.required_text import required_text

from conflict_ld.resources import load_prose

CASES = [
    (r"defected\s+to\s+X", ("defected", "to", "X")),
    (r"(?:allied|aligned)\s+with", ("al", "with")),  # only what all alternatives share
    (r"(?:formally\s+)?renamed", ("renamed",)),  # an optional group requires nothing
    (r"(?:ab)+c", ("ab", "c")),  # one repetition at least
    (r"(?:ab)*c", ("c",)),
    (r"[Ff]ormerly", ("ormerly",)),  # a class is no literal
    (r"(?i:Known)\s+as", ("as",)),  # a case-insensitive group requires no exact text
    (r"(?P<n>led)\s+by", ("led", "by")),
    (r"(?=founded)\w+", ()),  # a lookahead is not part of the match
]


@pytest.mark.parametrize(("pattern", "expected"), CASES)
def test_required_text(pattern: str, expected: tuple[str, ...]) -> None:
    assert set(required_text(re.compile(pattern))) == set(expected)


def test_an_ignorecase_pattern_requires_nothing() -> None:
    assert required_text(re.compile("founded by", re.IGNORECASE)) == ()


SAMPLES = [
    "«0:O» defected to «1:O» in 2014.", "«0:O» was formerly known as «1:O», «2:O».",
    "«0:O», formerly known as Liwa Foo, joined «1:O».", "«0:O» allied with «1:O» and «2:O».",
    "«0:O» was designated as a terrorist organization by «1:S».", "«0:O» massacred 40 civilians.",
    "«0:O» captured the town of «1:P» and massacred 40 civilians.", "«0:P» was renamed «1:O».",
]


def test_every_rule_match_contains_its_required_text() -> None:
    """Soundness on the real rules: wherever a rule matches, its required text is there."""
    rules, _ = load_prose()
    checked = 0
    for rule in rules:
        for regex, required in ((rule.regex, rule.required), (rule.carry_regex, rule.carry_required)):
            if regex is None:
                continue
            for sample in SAMPLES:
                for match in regex.finditer(sample):
                    checked += 1
                    assert all(part in match.group(0) for part in required), (regex.pattern, sample)
    assert checked >= len(SAMPLES)
