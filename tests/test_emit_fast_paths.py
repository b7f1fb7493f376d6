"""The mapping's quad emission takes quicker paths than the general ones (mapping/graph.py):
each must write exactly what the general path writes, since relation and attestation IRIs are
hashes of that text and a release must stay byte-identical."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest
from conflict_ld.mapping.dates import DateValue, Period
from conflict_ld.mapping.facts import Attestation, Fact, Quantity
from conflict_ld.mapping.graph import _CANONICAL, MappingResult, _jsonable, _KeyText, digest
from hypothesis import given, settings
from hypothesis import strategies as st

from conflict_ld.build import map_folder

from .test_generate import gen

ROOT = Path(__file__).resolve().parent.parent
BASE = "http://localhost:8080/"


@pytest.fixture(scope="module")
def mapped(tmp_path_factory: pytest.TempPathFactory) -> list[MappingResult]:
    """The seeds and 40 generated articles, mapped."""
    folder = tmp_path_factory.mktemp("articles")
    assert gen.main(["--articles", "40", "--out", str(folder), "--seed", "3"]) == 0
    return [map_folder(f, base_uri=BASE, progress=lambda _m: None)[0] for f in (ROOT / "seeds", folder)]


def _general(key: tuple[object, ...]) -> str:
    """What digest() hashes for a content key: json.dumps as its comment spells it."""
    return json.dumps(key, default=_jsonable, ensure_ascii=False, sort_keys=True)


def test_key_text_writes_what_the_encoder_writes(mapped: list[MappingResult]) -> None:
    keys = [fact.content_key() for result in mapped for fact in result.facts]
    key_text = _KeyText()
    for key in keys:
        assert key_text(key) == _general(key) == _CANONICAL.encode(key), key
    # Every part of a key took its turn: the comparison covers them all.
    for part in (3, 4, 5, 6, 7):
        assert any(key[part] for key in keys), part


_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)
_day = st.none() | st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
_date_value = st.none() | st.builds(
    DateValue, text=_text, lexical=st.none() | _text, precision=st.sampled_from([None, "year", "day"]),
    earliest=_day, latest=_day,
)
_period = st.builds(Period, text=_text, start=_date_value, end=_date_value, ongoing=st.booleans(),
                    instant=st.booleans())
_number = st.none() | st.integers(min_value=-(10**12), max_value=10**12)


@settings(max_examples=300, deadline=None)
@given(
    relation=_text, subject=_text, obj=st.none() | _text, period=st.none() | _period,
    quantity=st.none() | st.builds(Quantity, value=_number, minimum=_number, maximum=_number),
    statuses=st.lists(_text, max_size=3), disputed=st.lists(_text, max_size=3),
    role=st.none() | _text, former=st.none() | _text, new=st.none() | _text,
)
def test_key_text_on_any_key(relation: str, subject: str, obj: str | None, period: Period | None,
                             quantity: Quantity | None, statuses: list[str], disputed: list[str],
                             role: str | None, former: str | None, new: str | None) -> None:
    """Quotes, backslashes, control characters, non-ASCII, missing parts: the same text."""
    fact = Fact(relation=relation, subject=subject, object=obj, period=period,
                attestation=Attestation(source="s", evidence="e", line=1, section="Lead", field=None,
                                        cites=()),
                quantity=quantity, statuses=tuple(statuses), disputed_by=tuple(disputed), role=role,
                former_name=former, new_name=new)
    key = fact.content_key()
    key_text = _KeyText()
    assert key_text(key) == _general(key)
    assert key_text(key) == _general(key)  # a second time, from what it kept


def test_key_text_refuses_a_part_of_another_type() -> None:
    key = ("Alliance", "A", 7, None, None, (), (), "", "", "")
    with pytest.raises(TypeError):
        _KeyText()(key)


def test_relation_and_attestation_iris_are_the_digests(mapped: list[MappingResult]) -> None:
    """Every fact's relation node is relation/<class>_<digest of its content key>, and its
    attestation is attestation/<digest of node, source, line, field>, as digest() has them."""
    derivation = ox.NamedNode("http://www.w3.org/ns/prov#qualifiedDerivation")
    for result in mapped:
        written = {(q.subject.value, q.object.value, q.graph_name.value)
                   for q in result.quads if q.predicate == derivation}
        expected = set()
        for fact in result.facts:
            node = f"{BASE}relation/{fact.relation}_{digest(*fact.content_key())}"
            att = fact.attestation
            expected.add((node, f"{BASE}attestation/{digest(node, att.source, att.line, att.field or '')}",
                          f"{BASE}graph/{att.source}"))
        assert written == expected
        assert len(expected) > 100
