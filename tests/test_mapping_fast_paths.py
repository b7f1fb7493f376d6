"""The mapping takes quicker paths than the general ones (quad emission in mapping/graph.py,
infobox mapping): each must give exactly what the general path gives, since relation and
attestation IRIs are hashes of that text and a release must stay byte-identical."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest
from conflict_ld.mapping import infobox_facts
from conflict_ld.mapping.dates import DateValue, Period, parse_period
from conflict_ld.mapping.facts import Attestation, Fact, Quantity
from conflict_ld.mapping.graph import (
    _CANONICAL,
    Article,
    MappingResult,
    Vocabulary,
    _Emitter,
    _jsonable,
    _KeyText,
    digest,
)
from conflict_ld.mapping.parse import parse_article
from conflict_ld.mapping.tables import Tables
from hypothesis import given, settings
from hypothesis import strategies as st

from conflict_ld.build import map_folder
from conflict_ld.resources import prefixes
from conflict_ld.vocabulary import ontology_graph, vocabulary

from .test_generate import gen

ROOT = Path(__file__).resolve().parent.parent
BASE = "http://localhost:8080/"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("articles")
    assert gen.main(["--articles", "40", "--out", str(folder), "--seed", "3"]) == 0
    return folder


@pytest.fixture(scope="module")
def mapped(generated: Path) -> list[MappingResult]:
    """The seeds and 40 generated articles, mapped."""
    return [map_folder(f, base_uri=BASE, progress=lambda _m: None)[0] for f in (ROOT / "seeds", generated)]


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


# -- literal quads, written as N-Quads lines and parsed ------------------------------------

_XSD = "http://www.w3.org/2001/XMLSchema#"
_TYPES = {"year": "gYear", "month": "gYearMonth", "day": "date"}


def _literal_quads(fact: Fact, *, node: str, attestation: str, graph: str, cld: str) -> set[ox.Quad]:
    """The literal quads of one fact as Quad() makes them: the general path, spelled out."""
    n, a, g = ox.NamedNode(node), ox.NamedNode(attestation), ox.NamedNode(graph)
    out: set[ox.Quad] = set()

    def put(s: ox.NamedNode, local: str, o: ox.Literal) -> None:
        out.add(ox.Quad(s, ox.NamedNode(cld + local), o, g))

    def integer(number: int) -> ox.Literal:
        return ox.Literal(str(number), datatype=ox.NamedNode(_XSD + "integer"))

    def dated(prop: str, value: DateValue | None, low: str, high: str) -> None:
        if value is None:
            return
        if prop and value.lexical and value.precision in _TYPES:
            put(n, prop, ox.Literal(value.lexical, datatype=ox.NamedNode(_XSD + _TYPES[value.precision])))
        for local, day in ((low, value.earliest), (high, value.latest)):
            if day is not None:
                put(n, local, ox.Literal(day.isoformat(), datatype=ox.NamedNode(_XSD + "date")))

    period = fact.period
    if period is not None and period.instant and period.start is not None:
        dated("date", period.start, "earliestStart", "latestStart")
        dated("", period.start, "earliestEnd", "latestEnd")
    elif period is not None:
        dated("startDate", period.start, "earliestStart", "latestStart")
        dated("endDate", period.end, "earliestEnd", "latestEnd")
        if period.ongoing:
            put(n, "ongoing", ox.Literal("true", datatype=ox.NamedNode(_XSD + "boolean")))
    if fact.quantity is not None:
        for local, number in (("quantity", fact.quantity.value), ("minQuantity", fact.quantity.minimum),
                              ("maxQuantity", fact.quantity.maximum)):
            if number is not None:
                put(n, local, integer(number))
    for local, text in (("role", fact.role), ("qualifier", fact.qualifier),
                        ("formerName", fact.former_name), ("newName", fact.new_name)):
        if text:
            put(n, local, ox.Literal(text))
    att = fact.attestation
    put(a, "evidence", ox.Literal(att.evidence))
    put(a, "line", integer(att.line))
    put(a, "section", ox.Literal(att.section))
    if att.field:
        put(a, "field", ox.Literal(att.field))
    return out


def _facts_literal_quads(result: MappingResult) -> set[ox.Quad]:
    """The literal quads a mapping wrote on relations and attestations."""
    return {q for q in result.quads if isinstance(q.object, ox.Literal)
            and q.subject.value.startswith((f"{BASE}relation/", f"{BASE}attestation/"))}


def _expected(result: MappingResult, cld: str) -> set[ox.Quad]:
    expected: set[ox.Quad] = set()
    for fact in result.facts:
        node = f"{BASE}relation/{fact.relation}_{digest(*fact.content_key())}"
        att = fact.attestation
        attestation = f"{BASE}attestation/{digest(node, att.source, att.line, att.field or '')}"
        graph = f"{BASE}graph/{att.source}"
        expected |= _literal_quads(fact, node=node, attestation=attestation, graph=graph, cld=cld)
    return expected


def test_literal_quads_are_those_quad_makes(mapped: list[MappingResult]) -> None:
    for result in mapped:
        written = _facts_literal_quads(result)
        assert written == _expected(result, prefixes()["cld"])
        assert len(written) > 500


_any_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1,
                    max_size=20)


@pytest.fixture(scope="module")
def emitter_inputs(tables: Tables) -> tuple[Vocabulary, dict[str, Article]]:
    record = parse_article("Title\n\nText.\n", tables=tables)
    article = Article(source_id="s", file_name="s.txt", sha256="0", record=record)
    return vocabulary(base_uri=BASE, ontology=ontology_graph()), {"s": article}


@settings(max_examples=200, deadline=None)
@given(evidence=_any_text, section=_any_text, field=st.none() | _any_text, role=st.none() | _any_text,
       qualifier=st.none() | _any_text, line=st.integers(min_value=0, max_value=10**9))
def test_literal_lines_carry_any_text(emitter_inputs: tuple[Vocabulary, dict[str, Article]], evidence: str,
                                      section: str, field: str | None, role: str | None,
                                      qualifier: str | None, line: int) -> None:
    """Quotes, backslashes, line breaks, control and non-ASCII characters in a literal come
    back from the N-Quads parser as the text they were."""
    day = DateValue(text="2015", lexical="2015", precision="year", earliest=date(2015, 1, 1),
                    latest=date(2015, 12, 31))
    fact = Fact(relation="Leadership", subject="A", object="B",
                period=Period(text="2015", start=day, end=None, ongoing=True),
                attestation=Attestation(source="s", evidence=evidence, line=line, section=section,
                                        field=field, cites=()),
                quantity=Quantity(value=line), role=role, qualifier=qualifier)
    vocab, articles = emitter_inputs
    emitter = _Emitter(vocab=vocab, articles=articles)
    emitter.facts([fact])
    result = MappingResult(quads=emitter.finish(), entities={}, facts=[fact], dropped=[], unmapped_labels={},
                           subjects={}, sources={})
    assert _facts_literal_quads(result) == _expected(result, prefixes()["cld"])


# -- infobox mapping ------------------------------------------------------------------------


def test_date_fields_read_once_read_alike(generated: Path, tables: Tables) -> None:
    """The infobox mapper keeps what parse_period reads per text: the same period, shared."""
    dated = {spec.key for spec in tables.fields if spec.split in ("period", "instant")}
    texts = [value.text
             for path in sorted([*generated.glob("*.txt"), *(ROOT / "seeds").glob("*.txt")])
             for field in parse_article(path.read_text(encoding="utf-8"), tables=tables).infobox
             if getattr(tables.field_for_label(field.label), "key", None) in dated
             for value in field.values]
    assert len(texts) > 40
    for text in texts:
        assert infobox_facts._period(text) == parse_period(text)
        assert infobox_facts._period(text) is infobox_facts._period(text)
