"""Value cleaning, qualifiers, quantities and entity resolution, as tables of cases."""

from __future__ import annotations

import pytest
from conflict_ld.mapping.facts import Quantity
from conflict_ld.mapping.names import iri_local_name, normalise
from conflict_ld.mapping.qualifiers import interpret
from conflict_ld.mapping.quantities import parse_quantity
from conflict_ld.mapping.resolve import Resolver
from conflict_ld.mapping.values import make_value, split_items, take_qualifiers

ORGS = frozenset({"ArmedGroup", "Coalition", "PoliticalOrganization", "State", "GovernmentBody"})


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("Jaysh al-Islam, Jaysh al-Ababil", ["Jaysh al-Islam", "Jaysh al-Ababil"]),
        ("9,000–10,000 (2013), 400 (2014)", ["9,000–10,000 (2013)", "400 (2014)"]),
        ("Al-Nusra Front/HTS (2012–14, 2016–17), Ahrar al-Sham",
         ["Al-Nusra Front/HTS (2012–14, 2016–17)", "Ahrar al-Sham"]),
        ("Opponents: , , ,", ["Opponents:"]),
        ("25,000 (Nov. 2015);[13] 30,000 (July 2018)[14]",
         ["25,000 (Nov. 2015)", "[13] 30,000 (July 2018)[14]"]),
    ],
)
def test_split_items(text: str, items: list[str]) -> None:
    assert split_items(text) == items


@pytest.mark.parametrize(
    ("raw", "name", "qualifiers", "cites"),
    [
        ("18px Palestine Liberation Army", "Palestine Liberation Army", (), ()),
        ("Flag of Hayat Tahrir al-Sham.svg Tahrir al-Sham [7]", "Tahrir al-Sham", (), (7,)),
        ("AQMI Flag asymmetric.svg  Islamic State (sometimes)", "Islamic State", ("sometimes",), ()),
        ("InfoboxHez.PNG Hezbollah", "Hezbollah", (), ()),
        ("25px border|25px Al-Nusra Front (September 2015–2017)", "Al-Nusra Front",
         ("September 2015–2017",), ()),
        ("Abu Hussein al-DikKIA", "Abu Hussein al-Dik", ("KIA",), ()),
        ("Mansur DagestaniKIA (? - May 2019)", "Mansur Dagestani", ("? - May 2019", "KIA"), ()),
        ("Hamas (denied by Hamas)[5]", "Hamas", ("denied by Hamas",), (5,)),
        ("Iran Iran", "Iran", (), ()),
        ("Ba'athist Syria Ba'athist Syria", "Ba'athist Syria", (), ()),
        ("  • Return Forces (Palestinian Hezbollah affiliate)[10]", "Return Forces",
         ("Palestinian Hezbollah affiliate",), (10,)),
        ("* Battle of Yarmouk Camp (2015)", "Battle of Yarmouk Camp", ("2015",), ()),
        ("|Operation Canopus Star", "Operation Canopus Star", (), ()),
        ("Syrian Civil War See List of battles", "Syrian Civil War", (), ()),
        ("Historically: Gaza Strip", "Gaza Strip", ("Historically",), ()),
        ("Sheikh Tawfiq Shahabuddin ()", "Sheikh Tawfiq Shahabuddin", (), ()),
    ],
)
def test_make_value(raw: str, name: str, qualifiers: tuple[str, ...], cites: tuple[int, ...],
                    tables) -> None:
    value = make_value(raw, line=1, evidence=raw, tables=tables)
    assert value is not None
    assert (value.text, value.qualifiers, value.cites) == (name, qualifiers, cites)


@pytest.mark.parametrize("raw", ["", " , ", "()", "[3]", "Logo of X.svg"])
def test_empty_slots_give_no_value(raw: str, tables) -> None:
    assert make_value(raw, line=1, evidence=raw, tables=tables) is None


def test_take_qualifiers_keeps_nested_and_unclosed() -> None:
    assert take_qualifiers("A (b (c) d) e (f") == ("A e", ("b (c) d", "f"))


@pytest.mark.parametrize(
    ("qualifiers", "statuses", "agents", "rest", "periods"),
    [
        (["denied by Hamas"], ("Denied",), ("Hamas",), (), 0),
        (["formally"], ("Formal",), (), (), 0),
        (["de facto; 1973–2024"], ("DeFacto",), (), (), 1),
        (["sometimes"], ("Sometimes",), (), (), 0),
        (["2012–14, 2016–17"], (), (), (), 2),
        (["leader, 2011–2014"], (), (), ("leader",), 1),
        (["Russian military claim, December 2016"], ("Claimed",), (), ("Russian military",), 1),
        (["main group"], (), (), ("main group",), 0),
        (["Historically"], ("Former",), (), (), 0),
    ],
)
def test_interpret(qualifiers, statuses, agents, rest, periods, tables) -> None:
    q = interpret(qualifiers, tables=tables)
    assert q.statuses == statuses
    assert q.agents == agents
    assert q.rest == rest
    assert len(q.periods) == periods
    assert q.text == " ".join(f"({x})" for x in qualifiers)


def test_interpret_quoted_aliases(tables) -> None:
    q = interpret(['"Abu Jaber", founder and commander until Sept. 2017'], tables=tables)
    assert q.aliases == ("Abu Jaber",)
    assert q.rest == ("founder and commander",)
    assert q.periods[0].end is not None and q.periods[0].end.lexical == "2017-09"
    assert interpret(["'Hajj Abu Mustafa'"], tables=tables).aliases == ("Hajj Abu Mustafa",)


@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        ("200", Quantity(value=200)),
        ("2,000 -3,000", Quantity(minimum=2000, maximum=3000)),
        ("20,000–25,000", Quantity(minimum=20000, maximum=25000)),
        ("≈750 fighters", Quantity(value=750)),
        ("over 400 fighters", Quantity(minimum=400)),
        ("more than 21 Alawite civilians", Quantity(minimum=21)),
        ("10,000 to 20,000 fighters", Quantity(minimum=10000, maximum=20000)),
        ("up to 1,600 fighters", Quantity(maximum=1600)),
        ("5,000–1,000", None),
        ("no number", None),
    ],
)
def test_parse_quantity(text: str, quantity: Quantity | None) -> None:
    assert parse_quantity(text) == quantity


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hay’at Tahrir al-Sham", "Hay'at Tahrir al-Sham"),
        ("Al-Nusra Front", "al-Nusra Front"),
        ("the Syrian Civil War", "Syrian Civil War"),
        ("Israeli–Palestinian conflict", "Israeli-Palestinian conflict"),
        ("Quwwat ar-Riḍā", "Quwwat ar-Rida"),
    ],
)
def test_normalise_folds_spelling_variants(a: str, b: str) -> None:
    assert normalise(a) == normalise(b)


def test_iri_local_name_is_wikipedia_style() -> None:
    assert iri_local_name("Hay'at Tahrir al-Sham") == "Hay'at_Tahrir_al-Sham"
    assert iri_local_name("Southern Front (Syrian rebel group)") == "Southern_Front_(Syrian_rebel_group)"
    assert iri_local_name("A/B #1") == "A%2FB_%231"


class TestResolver:
    def resolve(self, tables, name: str, *, accepts=ORGS, default="ArmedGroup"):
        resolver = Resolver(tables)
        found, reason = resolver.resolve(name, source="s", accepts=accepts, default_cls=default)
        return [e.label for e in found], reason

    @pytest.mark.parametrize(
        ("name", "label"),
        [
            ("Aknaf Beit al-Maqdis", "Aknaf Bait al-Maqdis"),
            ("ISIS", "Islamic State"),
            ("Islamic State of Iraq and the Levant", "Islamic State"),
            ("Jabhat al-Nusra", "Al-Nusra Front"),
            ("al-Nusra Front", "Al-Nusra Front"),
            ("Hayyat Tahrir al-Sham", "Hay'at Tahrir al-Sham"),
        ],
    )
    def test_aliases(self, tables, name: str, label: str) -> None:
        assert self.resolve(tables, name) == ([label], None)

    def test_flag_alt_text_before_a_known_name(self, tables) -> None:
        assert self.resolve(tables, "Islamic State Islamic State of Iraq and the Levant") == (
            ["Islamic State"], None)
        labels, _ = self.resolve(tables, "Syrian opposition Free Syrian Army")
        assert labels == ["Free Syrian Army"]

    def test_flag_rule_needs_a_known_remainder(self, tables) -> None:
        labels, _ = self.resolve(tables, "Palestine Liberation Army")
        assert labels == ["Palestine Liberation Army"]

    def test_glued_names_split_into_known_ones(self, tables) -> None:
        labels, _ = self.resolve(tables, "Tahrir al-Sham Turkistan Islamic Party in Syria")
        assert labels[0] == "Hay'at Tahrir al-Sham" and len(labels) == 2

    def test_wrong_class_is_dropped_with_a_reason(self, tables) -> None:
        labels, reason = self.resolve(tables, "Damascus")
        assert labels == [] and "Place" in (reason or "")

    @pytest.mark.parametrize(
        "name", ["State allies", "Non-state opponents", "See Leadership", "Factions:",
                 "Groups based in the Euphrates Region", "of Syria", "2"],
    )
    def test_descriptions_are_not_names(self, tables, name: str) -> None:
        labels, reason = self.resolve(tables, name)
        assert labels == [] and reason

    def test_unknown_names_unify_across_spellings(self, tables) -> None:
        resolver = Resolver(tables)
        a, _ = resolver.resolve("Liwa Xyz al-Quds", source="a", accepts=ORGS, default_cls="ArmedGroup")
        b, _ = resolver.resolve("Liwa Xyz Al-quds", source="b", accepts=ORGS, default_cls="ArmedGroup")
        assert a[0] is b[0]
        assert a[0].surface == {"a": {"Liwa Xyz al-Quds"}, "b": {"Liwa Xyz Al-quds"}}

    def test_person_ranks_are_not_part_of_the_name(self, tables) -> None:
        labels, _ = self.resolve(tables, "Brig. Gen. Akram Muhammad al-Salti",
                                 accepts=frozenset({"Person"}), default="Person")
        assert labels == ["Akram Muhammad al-Salti"]


def test_generic_unit_names_are_scoped_to_their_article(tables) -> None:
    resolver = Resolver(tables)
    a, _ = resolver.resolve("8th Brigade", source="a", accepts=ORGS, default_cls="ArmedGroup",
                            context="Jaysh al-Islam")
    b, _ = resolver.resolve("8th Brigade", source="b", accepts=ORGS, default_cls="ArmedGroup",
                            context="Ahrar al-Sham")
    assert a[0].label == "8th Brigade (Jaysh al-Islam)" and b[0].label == "8th Brigade (Ahrar al-Sham)"
    assert a[0].surface == {"a": {"8th Brigade"}}


def test_regression_a_predecessor_that_is_the_group_itself_is_a_renaming(tables) -> None:
    """"Preceded by: Brigade of Islam", an earlier name of Jaysh al-Islam, made the group
    succeed itself; it is a renaming."""
    from conflict_ld.mapping.graph import Article, Vocabulary, map_articles
    from conflict_ld.mapping.parse import parse_article

    from conflict_ld.resources import prefixes

    text = ("= Jaysh al-Islam =\n\nJaysh al-Islam\n- Predecessor: Liwa al-Islam (2011)\n"
            "- Allies: Jaysh al-Islam, Ahrar al-Sham\n")
    article = Article(source_id="t", file_name="t.txt", sha256="0", record=parse_article(text, tables=tables))
    result = map_articles([article], tables=tables,
                          vocab=Vocabulary(base="http://x/", prefixes=prefixes(), shortcuts={}))
    assert all(f.subject != f.object for f in result.facts)
    renaming = [f for f in result.facts if f.relation == "Renaming"]
    assert [(r.former_name, r.period.start.lexical) for r in renaming] == [("Liwa al-Islam", "2011")]
    assert any("own subject" in d.reason for d in result.dropped)
