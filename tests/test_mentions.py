"""The mention finder's pruning (mentions._most_words over names.skeleton_prefixes) finds
exactly the names the exhaustive search of every span of up to MAX_WORDS words finds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conflict_ld.mapping.mentions import _known, _literal, _literal_spans, _own_pattern, find_mentions
from conflict_ld.mapping.names import normalise, skeleton, skeleton_prefixes
from conflict_ld.mapping.parse import parse_article
from conflict_ld.mapping.prose_facts import load_prose_tables
from conflict_ld.mapping.tables import Tables
from hypothesis import given, settings
from hypothesis import strategies as st

from conflict_ld.resources import load_prose, read_text

CORPUS = Path(__file__).resolve().parent / "corpus"

# Names that overlap, that begin other names, that hold accents, Arabic, apostrophes of
# several kinds, parentheses, a leading "the", and words that are also function words.
ENTITIES = """label\tclass\taliases\tar
Free Army\tArmedGroup\tFree Army of the South | FA
Free Army Front\tCoalition\tThe Free Army Front | Front of the Free Army
Army of the South\tArmedGroup\tSouth Army
Jaysh al-Ḥurr\tArmedGroup\tJaysh al-Hurr Brigades | جيش الحر
Saraya Ahl al-Sham\tArmedGroup\tSaraya Ahl al–Sham | Sarāyā Ahl ash-Shām
Ma'arrat al-Nu'man\tPlace\tMa’arrat | Maʿarrat al Numan
Battle of Yarmouk Camp (2015)\tBattle\tBattle of Yarmouk Camp
Islamic State\tArmedGroup\tIS | Islamic State of Iraq and the Levant | ISIL
United States\tState\tUS | the United States of America
Salafism\tIdeology\tSalafist
Straße Brigade\tArmedGroup\tStrasse Brigade
Ñandú Front\tArmedGroup\tNandu Front
"""

PROSE = """subject_phrases = ["the group"]
enumeration = 'comprised:$'
[generic]
"government forces" = "Army of the South"
"the southern army forces" = "South Army"
[[type_cue]]
class = "Place"
pattern = '''\\bthe town of (?P<name>[A-Z][\\w'-]+)'''
"""

TEXTS = [
    "The Free Army Front, the Free Army and the Free Army of the South clashed.",
    "Front of the Free Army-backed fighters joined the Army of the South.",
    "FA defected to Free Army Front (2015) in the Battle of Yarmouk Camp (2015).",
    "Fighters of the Jaysh al-Ḥurr and Jaysh al-Hurr Brigades met جيش الحر in Maʿarrat al Numan.",
    "Sarāyā Ahl ash-Shām and Saraya Ahl al–Sham fought in Ma’arrat and Ma'arrat al-Nu'man.",
    "It is us, the US and the United States of America, against IS and the Islamic State of Iraq.",
    "The Islamic State of Iraq and the Levant is Salafist; Salafism spread. Government forces came.",
    "Straße Brigade and STRASSE BRIGADE and Ñandú Front and Nandu Front and NANDU FRONT.",
    "The  southern army forces, the\u00a0Free Army\u00a0Front and the Free\u2003Army.",
    "the The the Free Army-allied Army. Free. Army. Free... Army’s Free Army's fighters",
    "“Free Army” (Free Army Front) [Free Army of the South] Free Army of the",
    "",
    "Free",
]


EMPTY_TABLES = Tables.from_texts(
    fields_toml=read_text("conflict_ld.mapping", "data/fields.toml"),
    cleaning_toml=read_text("conflict_ld.mapping", "data/cleaning.toml"),
    entities_tsv="label\tclass\n",
)
EMPTY_PROSE = load_prose_tables(PROSE)  # its phrases and cues need letters the texts below lack


@pytest.fixture(scope="module")
def small() -> tuple[Tables, object]:
    tables = Tables.from_texts(
        fields_toml=read_text("conflict_ld.mapping", "data/fields.toml"),
        cleaning_toml=read_text("conflict_ld.mapping", "data/cleaning.toml"),
        entities_tsv=ENTITIES,
    )
    return tables, load_prose_tables(PROSE)


@pytest.mark.parametrize("text", TEXTS)
def test_pruned_search_finds_what_the_exhaustive_one_finds(text: str, small) -> None:
    tables, prose = small
    assert _known(text, tables=tables, prose=prose) == _known(text, tables=tables, prose=prose, prune=False)


def test_the_longest_names_are_found(small) -> None:
    """Not a vacuous equality: the table above has names longer spans must reach."""
    tables, prose = small
    found = [m.text for m in _known(TEXTS[0] + " " + TEXTS[6], tables=tables, prose=prose)]
    assert found == ["The Free Army Front", "the Free Army", "the Free Army of the South",
                     "The Islamic State of Iraq and the Levant", "Salafist", "Salafism", "Government forces"]


WORDS = ["the", "The", "Free", "FREE", "Army", "Army-backed", "Front", "of", "South", "Jaysh", "al-Ḥurr",
         "al-Hurr", "Brigades", "جيش", "الحر", "Ma’arrat", "Maʿarrat", "al", "Numan", "Ñandú", "Straße",
         "Brigade", "IS", "US", "is", "Yarmouk", "Camp", "(2015)", "Battle", "forces", "Army.", "Army's"]
SEPARATORS = [" ", " ", " ", ", ", " (", ") ", "; ", " “", "” ", "\u00a0", " - ", "  "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=16))
def test_pruned_search_on_random_word_sequences(pieces: list[tuple[str, str]]) -> None:
    tables = Tables.from_texts(
        fields_toml=read_text("conflict_ld.mapping", "data/fields.toml"),
        cleaning_toml=read_text("conflict_ld.mapping", "data/cleaning.toml"),
        entities_tsv=ENTITIES,
    )
    prose = load_prose_tables(PROSE)
    text = "".join(word + separator for word, separator in pieces)
    assert _known(text, tables=tables, prose=prose) == _known(text, tables=tables, prose=prose, prune=False)


def test_pruned_search_on_every_sentence_of_the_corpus(tables) -> None:
    """The real tables over the real articles (accents, Arabic, typographic apostrophes)."""
    _, prose = load_prose()
    sentences = [
        sentence.plain
        for path in sorted(CORPUS.glob("*.txt"))
        for section in parse_article(path.read_text(encoding="utf-8"), tables=tables).sections
        for paragraph in section.paragraphs
        for sentence in paragraph
    ]
    assert len(sentences) > 100
    assert any(not s.isascii() for s in sentences)
    for sentence in sentences:
        pruned = _known(sentence, tables=tables, prose=prose)
        assert pruned == _known(sentence, tables=tables, prose=prose, prune=False), sentence
    # and through the whole finder, which the mapping calls
    template = find_mentions(sentences[0], tables=tables, prose=prose, subject=None, subject_names=[])
    assert template.mentions


@pytest.mark.parametrize(("key", "expected"), [
    ("free army front", "freearmyfront"),
    ("ma'arrat al-nu'man", "maarratalnuman"),
    ("battle of yarmouk camp (2015)", "battleofyarmoukcamp2015"),
    ("جيش الحر", "جيشالحر"),
])
def test_skeleton_keeps_letters_and_digits(key: str, expected: str) -> None:
    assert skeleton(key) == expected


def test_skeleton_prefixes_are_every_prefix_of_every_key() -> None:
    keys = [normalise("Free Army"), normalise("FA")]
    assert skeleton_prefixes(keys) == {"", "f", "fr", "fre", "free", "freea", "freear", "freearm",
                                       "freearmy", "fa"}


# A subject's names in ASCII sentences are found without an expression per name
# (mentions._literal_spans); the spans are those the expression finds.
NAMES = ["Hamas", "Jaysh al-Islam", "Liwa al-Haqq (Idlib)", "A.B.C. Front", "Fatah+", "al_Qaeda"]
SENTENCES = [
    "Hamas said Hamas's fighters and HAMAS'S allies, not Hamas-led or pro-Hamas units, left Hamas",
    "hamas'sx and Hamas's-led and Hamas'S and _Hamas and Hamas_ and 1Hamas and Hamas1 and Hamas's",
    "Jaysh al-Islam's leader; jaysh AL-ISLAM. Jaysh al-Islamic; the Jaysh al-Islam’s men",
    "Liwa al-Haqq (Idlib) and Liwa al-Haqq (idlib)'s and Liwa al-Haqq (Idlib)x and Liwa al-Haqq",
    "A.B.C. Front, AxBxCx Front, a.b.c. front's; Fatah+ and Fatah+'s and Fatah++",
    "al_Qaeda and Al_Qaeda's and al_Qaeda_x and xal_Qaeda",
    "HamasHamas Hamas Hamas's's Hamas'",
    "",
]


@pytest.mark.parametrize("sentence", SENTENCES)
@pytest.mark.parametrize("name", NAMES)
def test_literal_name_spans_are_the_expressions(name: str, sentence: str) -> None:
    phrase = re.escape(name)
    literal = _literal(phrase)
    assert literal == name.lower()
    expected = [(m.start(), m.end()) for m in _own_pattern(phrase).finditer(sentence)]
    if sentence.isascii():  # (find_mentions takes this way for ASCII sentences only)
        assert _literal_spans(sentence.lower(), literal) == expected
    template = find_mentions(sentence, tables=EMPTY_TABLES, prose=EMPTY_PROSE, subject=None,
                             subject_names=[phrase])
    assert [(m.start, m.end) for m in template.mentions if m.subject] == expected


def test_literal_name_spans_find_something() -> None:
    """Not a vacuous equality: possessives and case-insensitive matches are found."""
    sentence = SENTENCES[0]
    spans = _literal_spans(sentence.lower(), "hamas")
    assert [sentence[s:e] for s, e in spans] == ["Hamas", "Hamas's", "HAMAS'S", "Hamas"]


def test_expressions_that_are_not_escaped_names_have_no_literal() -> None:
    assert _literal("the (?:group|militia)") is None
    assert _literal(re.escape("Jaysh al-Ḥurr")) is None  # not ASCII: the expression is used
    assert _literal(re.escape("Fatah+")) == "fatah+"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="Hhamas-_'’sS1 .()", max_size=30), st.sampled_from(["Hamas", "Ha-mas", "Ha(mas)"]))
def test_literal_name_spans_on_random_sentences(sentence: str, name: str) -> None:
    phrase = re.escape(name)
    expected = [(m.start(), m.end()) for m in _own_pattern(phrase).finditer(sentence)]
    if sentence.isascii():
        assert _literal_spans(sentence.lower(), name.lower()) == expected
    template = find_mentions(sentence, tables=EMPTY_TABLES, prose=EMPTY_PROSE, subject=None,
                             subject_names=[phrase])
    assert [(m.start, m.end) for m in template.mentions if m.subject] == [
        (m.start(), m.end()) for m in _own_pattern(phrase).finditer(sentence)
    ]
