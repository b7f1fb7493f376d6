"""Parsers on every seed and corpus article: no crash, the right rendering and title, every
infobox label the article shows found (``golden/articles.toml`` was written by hand)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from conflict_ld.mapping.parse import detect_rendering, parse_article
from conflict_ld.mapping.record import ArticleError

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = tomllib.loads((ROOT / "tests/golden/articles.toml").read_text(encoding="utf-8"))
FILES = sorted(ROOT.glob("seeds/*.txt")) + sorted(ROOT.glob("tests/corpus/*.txt"))


def test_every_article_has_a_golden_entry() -> None:
    assert sorted(p.name for p in FILES) == sorted(GOLDEN)
    assert len(FILES) == 29


@pytest.fixture(params=FILES, ids=lambda p: p.name)
def article(request: pytest.FixtureRequest, tables):
    path: Path = request.param
    return path.name, parse_article(path.read_text(encoding="utf-8"), tables=tables)


def test_rendering_and_title(article) -> None:
    name, record = article
    assert record.rendering == GOLDEN[name]["rendering"]
    assert record.title == GOLDEN[name]["title"]


def test_every_infobox_label_found(article) -> None:
    name, record = article
    found = set(record.field_labels())
    missing = [label for label in GOLDEN[name]["labels"] if label not in found]
    assert not missing, f"{name}: labels not found: {missing}"


def test_no_label_invented(article) -> None:
    """A label the parser reports must be one the article shows (or a folded role pair)."""
    name, record = article
    extra = set(record.field_labels()) - set(GOLDEN[name]["labels"])
    # A few labels are real but outside the hand list: captions' own headers such as
    # "Factions:" and "Flag" lines that close an infobox.
    assert extra <= {"Factions:", "Flag", "Logo"}, f"{name}: unexpected labels {extra}"


def test_values_keep_line_and_exact_evidence(article) -> None:
    name, record = article
    path = next(p for p in FILES if p.name == name)
    lines = path.read_text(encoding="utf-8").replace("\u00a0", " ").splitlines()
    for field in record.infobox:
        for value in field.values:
            assert value.evidence == lines[value.line - 1].strip(), (name, field.label)


def test_references_of_the_rendered_seed(tables) -> None:
    record = parse_article((ROOT / "seeds/001_a61b2647d8e311c0.txt").read_text(), tables=tables)
    assert [r.number for r in record.references] == list(range(1, 29))
    ref5 = record.references[4]
    assert "alsouria.net" in ref5.text
    history = next(s for s in record.sections if s.title == "History")
    cited = {n for paragraph in history.paragraphs for s in paragraph for n in s.cites}
    assert {16, 17, 18, 28} <= cited


def test_rendered_infobox_values_and_qualifiers(tables) -> None:
    record = parse_article((ROOT / "seeds/001_a61b2647d8e311c0.txt").read_text(), tables=tables)
    fields = {f.label: f for f in record.infobox}
    allies = [(v.text, v.qualifiers, v.cites) for v in fields["Allies"].values]
    assert ("Hay'at Tahrir al-Sham", ("2018",), ()) in allies
    assert ("Al-Nusra Front", ("formally",), (7,)) in allies
    assert ("Al-Rahman Legion", (), (8, 9)) in allies
    assert [v.text for v in fields["Leaders"].values] == [
        "Abu Ahmed Mushir", "Abo Hamam", "Ahmad Zaghmout"
    ]
    assert fields["Headquarters"].values[0].text == "Yarmouk Camp, Damascus"
    opponents = [v.text for v in fields["Opponents"].values]
    assert "Return Forces" in opponents and "Syria" in opponents


def test_wikitext_cleaning(tables) -> None:
    record = parse_article((ROOT / "seeds/000_557fef28febaf1b5.txt").read_text(), tables=tables)
    fields = {f.label: f for f in record.infobox}
    opponents = [v.text for v in fields["Opponents"].values]
    assert "Palestine Liberation Army" in opponents  # "18px " image size removed
    assert "Liwa al-Quds" in opponents
    wars = [(v.text, v.qualifiers) for v in fields["War"].values]
    assert ("Battle of Yarmouk Camp", ("2015",)) in wars  # "* " sub-item mark removed
    assert ("Southern Damascus offensive", ("April–May 2018",)) in wars
    assert [v.text for v in fields["Active"].values] == ["2012/13 – 2015", "2015 – present"]
    assert record.native_names == ("أكناف بيت المقدس",)


def test_wikitext_role_pairs_fold(tables) -> None:
    record = parse_article((ROOT / "tests/corpus/26_tiger-forces-25th-smf-division.txt").read_text(),
                           tables=tables)
    roles = {f.label: f.role for f in record.infobox if f.label.startswith("Commander")}
    assert roles == {
        "Commander1": "Current Commander",
        "Commander2": "Deputy Commander & Chief of Staff",
        "Commander3": "Commander of Assault Troops",
    }


def test_prose_sections_and_sentences(tables) -> None:
    record = parse_article((ROOT / "seeds/002_b56c25f4aa653c94.txt").read_text(), tables=tables)
    assert [s.title for s in record.sections] == ["", "Ideology"]
    lead = record.sections[0]
    first = lead.paragraphs[0]
    assert first[0].plain.startswith("Jund al-Aqsa is a Salafist jihadist rebel group")
    assert first[1].plain.startswith("Formerly known as Sarayat al-Quds")
    assert all(s.line >= 1 for p in lead.paragraphs for s in p)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("= Title =\n\nTitle\n- Allies: A\n", "infobox-wikitext"),
        ("Title\n\nLeaders\n  • X\nIdeologySalafism\n", "rendered-page"),
        ("X is a group that fought in the war for many years.\n", "prose"),
    ],
)
def test_detect_rendering(text: str, expected: str, tables) -> None:
    assert detect_rendering(text, tables=tables) == expected


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("\n\n", 1),
        ("fought in the war and then it stopped fighting for good.\n", 1),
        ("\n\n= \n", 3),
    ],
)
def test_no_title_is_an_error_with_a_line(text: str, line: int, tables) -> None:
    with pytest.raises(ArticleError) as error:
        parse_article(text, tables=tables)
    assert error.value.line == line


SEEDS = sorted(ROOT.glob("seeds/*.txt"))


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_seed_records_match_golden(path: Path, tables) -> None:
    """The whole record of each seed, reviewed once and kept; `UPDATE_GOLDEN=1` rewrites it
    after a deliberate change (then review the diff)."""
    import dataclasses
    import json
    import os

    record = dataclasses.asdict(parse_article(path.read_text(encoding="utf-8"), tables=tables))
    golden = ROOT / "tests/golden/records" / (path.stem + ".json")
    text = json.dumps(record, ensure_ascii=False, indent=1) + "\n"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert json.loads(golden.read_text(encoding="utf-8")) == json.loads(text)


def test_regression_flag_file_name_after_a_label_is_a_value(tables) -> None:
    """A label followed by a flag's file name used to be taken for an image caption, and its
    values went to the field above it."""
    text = ("Some Group\n\nSome Group\nLeaders\n  • A Person\nAllies Jaysh al-Islam\n"
            "Opponents Flag of Syria.svg Syrian Army\nIdeologySalafism\n")
    record = parse_article(text, tables=tables)
    fields = {f.label: [v.text for v in f.values] for f in record.infobox}
    assert fields["Allies"] == ["Jaysh al-Islam"]
    assert fields["Opponents"] == ["Syrian Army"]


def test_regression_kia_after_a_digit(tables) -> None:
    from conflict_ld.mapping.values import make_value

    value = make_value("Synthetic Person-00193KIA", line=1, evidence="", tables=tables)
    assert value is not None and (value.text, value.qualifiers) == ("Synthetic Person-00193", ("KIA",))


def test_regression_a_short_sentence_is_a_paragraph(tables) -> None:
    text = "= Some Group =\n\nSome Group\n- Allies: Hamas\n\n== History ==\nThe group opposes Israel.\n"
    record = parse_article(text, tables=tables)
    history = next(s for s in record.sections if s.title == "History")
    assert history.paragraphs[0][0].plain == "The group opposes Israel."
