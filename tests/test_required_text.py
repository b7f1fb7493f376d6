"""required_text: the literal text every match of a pattern contains (a prefilter that must
never skip a sentence the pattern matches)."""

from __future__ import annotations

import re

import pytest
from conflict_ld.mapping.required_text import contains_any_case, required_choices, required_text

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


CHOICES = [
    (r"(?:captured|seized|took\s+control\s+of)\s+X", (("captured", "control", "seized"),)),
    (r"(?:re-?branded|renamed)", (("branded", "named"),)),  # after the shared "re"
    (r"to(?:ward)?", ()),  # an optional group requires nothing
    (r"(?:ab|)c", ()),  # an alternative that requires no text: no choice
    (r"(?:(?:x|y)z|w)", (("w", "z"),)),
    (r"(?=foo|bar)baz", ()),  # a lookahead is not part of the match
    (r"(?:foo|bar)+", (("bar", "foo"),)),
    (r"(?i:foo|bar)", ()),
]


@pytest.mark.parametrize(("pattern", "expected"), CHOICES)
def test_required_choices(pattern: str, expected: tuple[tuple[str, ...], ...]) -> None:
    assert required_choices(re.compile(pattern)) == expected


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
                    for choice in required_choices(regex):
                        assert any(part in match.group(0) for part in choice), (regex.pattern, sample)
    assert checked >= len(SAMPLES)


def test_no_rule_that_matches_a_corpus_sentence_is_skipped() -> None:
    """Soundness on real templates: every rule that matches a sentence of the seeds and the
    test corpus has the text its prefilter asks for."""
    from pathlib import Path

    from conflict_ld.mapping.mentions import find_mentions
    from conflict_ld.mapping.parse import parse_article

    from conflict_ld.resources import load_tables

    tables = load_tables()
    rules, prose = load_prose()
    root = Path(__file__).parent.parent
    matched = 0
    for path in sorted([*root.glob("seeds/*.txt"), *root.glob("tests/corpus/*.txt")]):
        record = parse_article(path.read_text(encoding="utf-8"), tables=tables)
        subject = tables.lookup(record.title)
        names = [re.escape(record.title)]
        for section in record.sections:
            for paragraph in section.paragraphs:
                for sentence in paragraph:
                    text = find_mentions(sentence.plain, tables=tables, prose=prose, subject=subject,
                                         subject_names=names).text
                    for rule in rules:
                        if rule.regex.search(text) is None:
                            continue
                        matched += 1
                        assert all(part in text for part in rule.required), (rule.regex.pattern, text)
                        for choice in required_choices(rule.regex):
                            assert any(part in text for part in choice), (rule.regex.pattern, text)
    assert matched > 100


ANY_CASE = [
    (r"founded\s+BY", ("founded", "by"), ()),
    (r"(?:Captured|seized)\s+(?:the\s+)?X", ("x",), (("captured", "seized"),)),
    (r"(?-i:Known)\s+as", ("known", "as"), ()),  # a case-sensitive part is required too
    (r"Ḥurr\s+(?:Ḥ|x)y", ("y",), ()),  # a string that is not ASCII is not judged
]


@pytest.mark.parametrize(("pattern", "texts", "choices"), ANY_CASE)
def test_required_text_regardless_of_case(pattern: str, texts: tuple[str, ...],
                                          choices: tuple[tuple[str, ...], ...]) -> None:
    regex = re.compile(pattern, re.IGNORECASE)
    assert set(required_text(regex, any_case=True)) == set(texts)
    assert required_choices(regex, any_case=True) == choices


@pytest.mark.parametrize(("text", "needle", "expected"), [
    ("«0:O» was FOUNDED by «1:O»", "founded", True),
    ("«0:O» was founded by «1:O»", "seized", False),
    ("Ka\u017fr", "kasr", None),  # the long s matches "s" regardless of case: not judged
    ("\u0130dlib", "idlib", None),
    ("\u212aafr", "kafr", None),  # the Kelvin sign matches "k"
])
def test_contains_any_case(text: str, needle: str, expected: bool | None) -> None:
    contains = contains_any_case(text)
    assert (None if contains is None else contains(needle)) == expected
    if expected is None:  # the expression matches: lowercasing alone may not find it ("Kaſr")
        assert re.search(needle, text, re.IGNORECASE)


def test_no_carry_over_pattern_that_matches_is_skipped() -> None:
    """Soundness of the carry-over prefilter (prose_facts._Needs.met_any_case) on the real
    rules, on samples that match them in other cases than the patterns are written in."""
    from conflict_ld.mapping.prose_facts import _Needs

    rules, _ = load_prose()
    samples = [*SAMPLES, "Founded in 2012 by «0:H».", "WAS FOUNDED IN 2012", "it Surrendered to «0:O».",
               "were Relocated to «1:P»", "had 300 FIGHTERS", "with Support from «2:S»",
               "«0:O» set up on 3 May", "numbering some 2,000 Men"]
    matched = 0
    for rule in rules:
        if rule.carry_regex is None:
            continue
        needs = _Needs.any_case_of(rule.carry_regex)
        for sample in samples:
            if rule.carry_regex.search(sample):
                matched += 1
                assert needs.met_any_case(contains_any_case(sample)), (rule.carry_regex.pattern, sample)
    assert matched >= 6
