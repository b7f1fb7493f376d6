"""Facts and entities to RDF quads: one named graph per source, one for resolved entities.

Every IRI is minted here from the base and from content, so the same input always gives
the same IRIs: entities from their label, relation nodes from a hash of what they state,
attestations from their relation, source and line.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import pyoxigraph as ox

from .dates import DateValue, Period
from .facts import Fact
from .infobox_facts import InfoboxMapper
from .mentions import ProseTables
from .prose_facts import ProseMapper, ProseReading, ProseRule
from .record import ArticleRecord
from .resolve import Dropped, Entity, Resolver
from .tables import Tables

CC_BY_SA_4 = ox.NamedNode("https://creativecommons.org/licenses/by-sa/4.0/")
_DATATYPES = {"year": "gYear", "month": "gYearMonth", "day": "date"}  # date precision -> xsd type


@dataclass(frozen=True)
class Article:
    """One source file, parsed, with what the I/O layer knows about it."""

    source_id: str  # the file's stem; stable across releases
    file_name: str
    sha256: str
    record: ArticleRecord
    url: str | None = None  # where the text was captured from, when known
    # Its prose read beforehand (``read_prose``, e.g. by another process); None: read when mapped.
    prose: ProseReading | None = None


@dataclass(frozen=True)
class Vocabulary:
    """Every IRI the mapping mints, from the base and the prefixes table."""

    base: str  # e.g. "http://localhost:8080/"
    prefixes: Mapping[str, str]
    shortcuts: Mapping[str, str]  # relation class local name -> shortcut property local name

    def term(self, prefix: str, local: str) -> ox.NamedNode:
        return ox.NamedNode(self.prefixes[prefix] + local)

    def entity(self, key: str) -> ox.NamedNode:
        return ox.NamedNode(f"{self.base}resource/{key}")

    def source(self, source_id: str) -> ox.NamedNode:
        return ox.NamedNode(f"{self.base}source/{source_id}")

    def reference(self, source_id: str, number: int) -> ox.NamedNode:
        return ox.NamedNode(f"{self.base}source/{source_id}/reference/{number}")

    def graph(self, name: str) -> ox.NamedNode:
        return ox.NamedNode(f"{self.base}graph/{name}")

    def relation(self, relation: str, digest: str) -> ox.NamedNode:
        return ox.NamedNode(f"{self.base}relation/{relation}_{digest}")

    def attestation(self, digest: str) -> ox.NamedNode:
        return ox.NamedNode(f"{self.base}attestation/{digest}")


@dataclass
class MappingResult:
    # One named graph per source, and one of the resolved entities; article by article in
    # the order written (within a batch of _BATCH literal lines, their quads after the
    # others), which may repeat a quad (a store keeps it once). That order, unlike a set's,
    # keeps what is loaded together close in memory: a store loads it in a third less time
    # (1.4 s against 2.1 s for the 708,000 quads of 1,300 generated articles).
    quads: list[ox.Quad]
    entities: dict[str, Entity]
    facts: list[Fact]
    dropped: list[Dropped]
    unmapped_labels: dict[str, list[str]]  # source id -> infobox labels no table row knows
    subjects: dict[str, str]  # source id -> entity key of the article's subject
    sources: dict[str, str]  # source id -> the source's IRI


ENTITIES_GRAPH = "entities"
_BATCH = 1024  # literal lines parsed at a time: a parse costs ~1.5 µs, a line ~0.5 µs


def map_articles(
    articles: Iterable[Article],
    *,
    tables: Tables,
    vocab: Vocabulary,
    prose: tuple[Sequence[ProseRule], ProseTables] | None = None,
    in_order: bool = False,
) -> MappingResult:
    """The whole mapping: records in, one dataset out. Pure: no files, no network.
    ``prose`` (rules and tables) turns sentences into facts too; without it only infoboxes
    are mapped. The articles are mapped in source-id order (entity resolution carries over
    from one to the next): ``in_order`` says they come in it already, and each is taken as it
    comes (another process may still be reading the next); otherwise they are sorted first."""
    if not in_order:
        articles = sorted(articles, key=lambda a: a.source_id)
    by_id: dict[str, Article] = {}  # the articles mapped, in order
    emitter = _Emitter(vocab=vocab, articles=by_id)
    resolver = Resolver(tables)
    facts: list[Fact] = []
    dropped: list[Dropped] = []
    unmapped: dict[str, list[str]] = {}
    subjects: dict[str, str] = {}
    last = ""
    for article in articles:
        if by_id and article.source_id <= last:
            raise ValueError(f"articles out of source-id order: {article.source_id} after {last}")
        by_id[last := article.source_id] = article
        first = len(facts)
        subject = resolver.subject(article.record.title, source=article.source_id)
        for native in article.record.native_names:
            subject.native.setdefault(article.source_id, set()).add(native)
        subjects[article.source_id] = subject.key
        mapper = InfoboxMapper(resolver=resolver, source=article.source_id, subject=subject)
        facts.extend(mapper.facts(article.record))
        dropped.extend(mapper.dropped)
        if prose is not None:
            sentences = ProseMapper(resolver=resolver, source=article.source_id, subject=subject,
                                    rules=prose[0], prose=prose[1])
            facts.extend(sentences.facts(article.record, reading=article.prose))
        if mapper.unmapped_labels:
            unmapped[article.source_id] = mapper.unmapped_labels
        # An article's quads as soon as it is mapped, while a reader process may still be
        # reading the next: a fact's quads depend on the fact alone (the same fact from two
        # articles gives the same relation node, its digest being of the content). The
        # entities' quads wait for the last article (its surface forms).
        emitter.source(article, subject=subject.key)
        emitter.facts(facts[first:])
    emitter.entities(resolver.entities.values())
    return MappingResult(
        quads=emitter.finish(),
        entities=resolver.entities,
        facts=facts,
        dropped=dropped,
        unmapped_labels=unmapped,
        subjects=subjects,
        sources={source_id: vocab.source(source_id).value for source_id in by_id},
    )


def digest(*parts: object) -> str:
    """A short stable hash of content: canonical JSON, so Python's hash seed plays no part."""
    if all(type(part) is str or type(part) is int for part in parts):
        # The same text, written directly (an attestation's parts are all of these).
        text = f"[{', '.join(_json_string(p) if type(p) is str else repr(p) for p in parts)}]"
    else:
        text = _CANONICAL.encode(parts)
    return _sha16(text)


def _sha16(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _jsonable(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    raise TypeError(f"cannot hash {type(value).__name__}")


# What json.dumps(parts, default=_jsonable, ensure_ascii=False, sort_keys=True) writes, without
# building an encoder per call.
_CANONICAL = json.JSONEncoder(default=_jsonable, ensure_ascii=False, sort_keys=True)
_json_string = json.encoder.encode_basestring  # how that encoder writes a string


class _KeyText:
    """What ``_CANONICAL.encode(key)`` writes for a ``Fact.content_key()``, quicker. JSON nests,
    so each part of the key is written alone and joined as the encoder joins a list: the same
    bytes. Periods and quantities recur from fact to fact and cost the encoder a Python call
    per date and a ``dataclasses.asdict`` per quantity, so their text is kept per value (their
    fields are bools, ints, strs and dates: equal values write the same text). The key's other
    parts are strs and tuples of strs, which ``encode_basestring`` writes as the encoder does;
    anything else there raises, it is never written differently."""

    def __init__(self) -> None:
        self._parts: dict[object, str] = {}

    def __call__(self, key: tuple[object, ...]) -> str:
        relation, subject, obj, period, quantity, statuses, disputed, role, former, new = key
        parts, s = self._parts, _json_string
        if period is None:
            period_text = "null"
        elif (period_text := parts.get(period)) is None:
            period_text = parts[period] = _CANONICAL.encode(period)
        if quantity is None:
            quantity_text = "null"
        elif (quantity_text := parts.get(quantity)) is None:
            quantity_text = parts[quantity] = _CANONICAL.encode(quantity)
        return (
            f"[{s(relation)}, {s(subject)}, {s(obj)}, {period_text}, {quantity_text}, "
            f"[{', '.join(map(s, statuses))}], [{', '.join(map(s, disputed))}], "  # type: ignore[call-overload]
            f"{s(role)}, {s(former)}, {s(new)}]"
        )


def _string(text: str) -> ox.Literal:
    return ox.Literal(text)


def _en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


class _Emitter:
    """Writes the quads: Oxigraph terms straight away, since every later stage (reasoning,
    validation, serialisation) runs in Oxigraph."""

    def __init__(self, *, vocab: Vocabulary, articles: Mapping[str, Article]) -> None:
        self.quads: list[ox.Quad] = []
        self.v = vocab
        self.articles = articles
        self._graphs: dict[str, ox.NamedNode] = {}
        self._terms: dict[tuple[str, str], ox.NamedNode] = {}
        self._entities: dict[str, ox.NamedNode] = {}
        self._sources: dict[str, tuple[ox.NamedNode, ox.NamedNode, frozenset[int], str, str]] = {}
        self._integers: dict[int, ox.Literal] = {}
        self._days: dict[date, ox.Literal] = {}
        self._dates: dict[tuple[str, str], ox.Literal] = {}  # (lexical, precision) -> literal
        self._strings: dict[str, ox.Literal] = {}
        self._cld_terms: dict[str, ox.NamedNode] = {}
        self._references: dict[tuple[str, int], ox.NamedNode] = {}
        self._key_text = _KeyText()
        self._periods: dict[int, tuple[Period, tuple[str, ...]]] = {}
        self._lines: list[str] = []  # literal quads as N-Quads lines, parsed in batches
        self._string_texts: dict[str, str] = {}
        self._integer_texts: dict[int, str] = {}
        self._cld_texts: dict[str, str] = {}
        # The terms every relation and attestation writes, looked up once.
        t, cld, text = self.t, self._cld, self._cld_text
        self._fixed = (
            t("rdf", "type"), cld("subject"), cld("object"), t("prov", "wasDerivedFrom"),
            t("prov", "qualifiedDerivation"), t("prov", "entity"), cld("Attestation"), cld("status"),
            cld("disputedBy"), cld("cites"), text("evidence"), text("line"), text("section"), text("field"),
        )
        self._attestations = f"{vocab.base}attestation/"

    def add(self, graph: ox.NamedNode, s: ox.NamedNode, p: ox.NamedNode,
            o: ox.NamedNode | ox.Literal) -> None:
        self.quads.append(ox.Quad(s, p, o, graph))

    def _graph(self, name: str) -> ox.NamedNode:
        if name not in self._graphs:
            self._graphs[name] = self.v.graph(name)
        return self._graphs[name]

    def t(self, prefix: str, local: str) -> ox.NamedNode:
        term = self._terms.get((prefix, local))
        if term is None:
            term = self._terms[(prefix, local)] = self.v.term(prefix, local)
        return term

    def _integer(self, number: int) -> ox.Literal:
        literal = self._integers.get(number)
        if literal is None:
            literal = self._integers[number] = ox.Literal(str(number), datatype=self.t("xsd", "integer"))
        return literal

    def entities(self, entities: Iterable[Entity]) -> None:
        g = self._graph(ENTITIES_GRAPH)
        add, t = self.add, self.t
        for entity in entities:
            iri = self.v.entity(entity.key)
            add(g, iri, t("rdf", "type"), t("cld", entity.cls))
            add(g, iri, t("rdfs", "label"), _en(entity.label))
            add(g, iri, t("skos", "prefLabel"), _en(entity.label))
            for alias in entity.aliases:
                add(g, iri, t("skos", "altLabel"), _en(alias))
            arabic = entity.arabic or next(
                (n for sid in sorted(entity.native) for n in sorted(entity.native[sid])), None
            )
            if arabic:
                add(g, iri, t("rdfs", "label"), ox.Literal(arabic, language="ar"))
            for source_id, forms in entity.surface.items():
                sg = self._graph(source_id)
                for form in forms:
                    if form != entity.label:
                        add(sg, iri, t("skos", "altLabel"), _en(form))
            for source_id, forms in entity.native.items():
                sg = self._graph(source_id)
                for form in forms:
                    add(sg, iri, t("skos", "altLabel"), ox.Literal(form, language="ar"))

    def source(self, article: Article, *, subject: str) -> None:
        g = self._graph(article.source_id)
        add, t = self.add, self.t
        iri = self.v.source(article.source_id)
        record = article.record
        add(g, iri, t("rdf", "type"), t("cld", "Source"))
        add(g, iri, t("rdfs", "label"), _en(f"{record.title} ({article.file_name})"))
        add(g, iri, t("dct", "title"), _string(record.title))
        add(g, iri, t("cld", "fileName"), _string(article.file_name))
        add(g, iri, t("cld", "sha256"), _string(article.sha256))
        add(g, iri, t("cld", "rendering"), _string(record.rendering))
        add(g, iri, t("dct", "license"), CC_BY_SA_4)
        add(g, iri, t("cld", "about"), self.v.entity(subject))
        if article.url:
            add(g, iri, t("schema", "url"), ox.Literal(article.url, datatype=t("xsd", "anyURI")))
        for ref in record.references:
            r = self._reference(article.source_id, ref.number)
            add(g, r, t("rdf", "type"), t("cld", "Reference"))
            add(g, r, t("rdfs", "label"), _string(f"[{ref.number}] {ref.text}"))
            add(g, r, t("cld", "referenceNumber"), self._integer(ref.number))
            add(g, r, t("dct", "bibliographicCitation"), _string(ref.text))
            add(g, r, t("dct", "isReferencedBy"), iri)
            add(g, r, t("cld", "line"), self._integer(ref.line))

    def facts(self, facts: Sequence[Fact]) -> None:
        groups: dict[tuple[object, ...], list[Fact]] = defaultdict(list)
        for fact in facts:
            groups[fact.content_key()].append(fact)
        lines = self._lines
        for key, group in groups.items():
            self._relation(key, group)
            if len(lines) >= _BATCH:
                self._parse_lines()

    def finish(self) -> list[ox.Quad]:
        """All the quads written, the literal lines left over parsed."""
        self._parse_lines()
        return self.quads

    def _parse_lines(self) -> None:
        """The quads of the literal lines written so far (see _relation)."""
        if self._lines:
            text = "".join(self._lines).encode("utf-8")
            # Lenient: every line is made of terms' own N-Triples text (str() of a checked
            # NamedNode or Literal), there is nothing left to check.
            self.quads.extend(ox.parse(text, format=ox.RdfFormat.N_QUADS, lenient=True))
            self._lines.clear()

    def _entity(self, key: str) -> ox.NamedNode:
        node = self._entities.get(key)
        if node is None:
            node = self._entities[key] = self.v.entity(key)
        return node

    def _source_terms(self, source_id: str) -> tuple[ox.NamedNode, ox.NamedNode, frozenset[int], str, str]:
        """A source's graph, its IRI, the numbers of its references, the graph's N-Triples
        text and the source id's JSON text."""
        terms = self._sources.get(source_id)
        if terms is None:
            known_refs = frozenset(r.number for r in self.articles[source_id].record.references)
            graph = self._graph(source_id)
            terms = (graph, self.v.source(source_id), known_refs, str(graph), _json_string(source_id))
            self._sources[source_id] = terms
        return terms

    def _string(self, text: str) -> ox.Literal:
        # Evidence, sections and fields recur from fact to fact (the same sentence or infobox
        # line, often the same str object): a literal is dearer to make than to look up.
        literal = self._strings.get(text)
        if literal is None:
            literal = self._strings[text] = ox.Literal(text)
        return literal

    def _string_text(self, text: str) -> str:
        """A plain literal's N-Triples text."""
        written = self._string_texts.get(text)
        if written is None:
            written = self._string_texts[text] = str(ox.Literal(text))
        return written

    def _integer_text(self, number: int) -> str:
        written = self._integer_texts.get(number)
        if written is None:
            written = self._integer_texts[number] = str(self._integer(number))
        return written

    def _cld_text(self, local: str) -> str:
        written = self._cld_texts.get(local)
        if written is None:
            written = self._cld_texts[local] = str(self._cld(local))
        return written

    def _cld(self, local: str) -> ox.NamedNode:
        term = self._cld_terms.get(local)
        if term is None:
            term = self._cld_terms[local] = self.t("cld", local)
        return term

    def _reference(self, source_id: str, number: int) -> ox.NamedNode:
        key = (source_id, number)
        node = self._references.get(key)
        if node is None:
            node = self._references[key] = self.v.reference(source_id, number)
        return node

    def _relation(self, key: tuple[object, ...], group: list[Fact]) -> None:
        # Runs for every fact: the terms it writes are looked up once per relation, and the
        # quads are written inline, not through a method call each. A quad with a literal
        # object is written as an N-Quads line, and the lines are parsed in batches (see
        # facts): pyoxigraph's Quad(), given a Literal, first tries it as a NamedNode and as a
        # BlankNode, and each failure builds an exception, 1.5 µs a quad (0.2 µs for an IRI),
        # while its parser makes the same quads for less than half that.
        cld, quad, put = self._cld, ox.Quad, self.quads.append
        entity, cld_text = self._entity, self._cld_text
        string_text, integer_text = self._string_text, self._integer_text
        write = self._lines.append
        first = group[0]
        node = self.v.relation(first.relation, _sha16(self._key_text(key)))
        node_iri = node.value
        # An attestation's digest, digest(node, source, line, field), written as its fast path
        # writes it (the same text), with what is the same for the whole group written once.
        node_json = _json_string(node_iri)
        node_nt = f"<{node_iri}>"  # a NamedNode's N-Triples text, as str() writes it
        attestations = self._attestations
        (rdf_type, cld_subject, cld_object, derived_from, derivation, prov_entity, attestation_class,
         status_prop, disputed_prop, cites, evidence, line, section, field) = self._fixed
        relation_class, shortcut = cld(first.relation), self.v.shortcuts.get(first.relation)
        for fact in group:
            att = fact.attestation
            source_id = att.source
            g, src, known_refs, g_nt, source_json = self._source_terms(source_id)
            subject = entity(fact.subject)
            put(quad(node, rdf_type, relation_class, g))
            put(quad(node, cld_subject, subject, g))
            if fact.object:
                put(quad(node, cld_object, entity(fact.object), g))
            if fact.period is not None:
                for pair in self._period(fact.period):
                    write(f"{node_nt} {pair} {g_nt} .\n")
            if fact.quantity is not None:
                q = fact.quantity
                for prop, number in (("quantity", q.value), ("minQuantity", q.minimum),
                                     ("maxQuantity", q.maximum)):
                    if number is not None:
                        write(f"{node_nt} {cld_text(prop)} {integer_text(number)} {g_nt} .\n")
            for status in fact.statuses:
                put(quad(node, status_prop, cld(status), g))
            for agent in fact.disputed_by:
                put(quad(node, disputed_prop, entity(agent), g))
            for prop, text in (("role", fact.role), ("qualifier", fact.qualifier),
                               ("formerName", fact.former_name), ("newName", fact.new_name)):
                if text:
                    write(f"{node_nt} {cld_text(prop)} {string_text(text)} {g_nt} .\n")
            put(quad(node, derived_from, src, g))
            if type(att.line) is int:
                att_text = f"[{node_json}, {source_json}, {att.line!r}, {_json_string(att.field or '')}]"
                att_iri = f"{attestations}{_sha16(att_text)}"
            else:
                att_iri = f"{attestations}{digest(node_iri, source_id, att.line, att.field or '')}"
            att_node = ox.NamedNode(att_iri)
            put(quad(node, derivation, att_node, g))
            put(quad(att_node, rdf_type, attestation_class, g))
            put(quad(att_node, prov_entity, src, g))
            write(f"<{att_iri}> {evidence} {string_text(att.evidence)} {g_nt} .\n"
                  f"<{att_iri}> {line} {integer_text(att.line)} {g_nt} .\n"
                  f"<{att_iri}> {section} {string_text(att.section)} {g_nt} .\n")
            if att.field:
                write(f"<{att_iri}> {field} {string_text(att.field)} {g_nt} .\n")
            for number in att.cites:
                if number in known_refs:
                    put(quad(att_node, cites, self._reference(source_id, number), g))
            if shortcut and fact.object and "Denied" not in fact.statuses:
                put(quad(subject, cld(shortcut), entity(fact.object), g))

    def _period(self, period: Period) -> tuple[str, ...]:
        """The (property, literal) pairs a period writes on its relation, as N-Triples text.
        Facts share their Period objects (one infobox qualifier, one sentence's date), so the
        pairs are kept per object, with the object, so that its id is not reused meanwhile."""
        kept = self._periods.get(id(period))
        if kept is not None:
            return kept[1]
        pairs: list[str] = []
        if period.instant and period.start is not None:
            self._literal(pairs, "date", period.start)
            self._bounds(pairs, "earliestStart", "latestStart", period.start)
            self._bounds(pairs, "earliestEnd", "latestEnd", period.start)
        else:
            if period.start is not None:
                self._literal(pairs, "startDate", period.start)
                self._bounds(pairs, "earliestStart", "latestStart", period.start)
            if period.end is not None:
                self._literal(pairs, "endDate", period.end)
                self._bounds(pairs, "earliestEnd", "latestEnd", period.end)
            if period.ongoing:
                true = ox.Literal("true", datatype=self.t("xsd", "boolean"))
                pairs.append(f"{self._cld_text('ongoing')} {true}")
        self._periods[id(period)] = (period, tuple(pairs))
        return self._periods[id(period)][1]

    def _literal(self, pairs: list[str], prop: str, value: DateValue) -> None:
        if value.lexical and value.precision in _DATATYPES:
            key = (value.lexical, value.precision)
            literal = self._dates.get(key)
            if literal is None:
                literal = self._dates[key] = ox.Literal(value.lexical,
                                                        datatype=self.t("xsd", _DATATYPES[value.precision]))
            pairs.append(f"{self._cld_text(prop)} {literal}")

    def _bounds(self, pairs: list[str], low: str, high: str, value: DateValue) -> None:
        for prop, day in ((low, value.earliest), (high, value.latest)):
            if day is not None:
                literal = self._days.get(day)
                if literal is None:
                    literal = self._days[day] = ox.Literal(day.isoformat(), datatype=self.t("xsd", "date"))
                pairs.append(f"{self._cld_text(prop)} {literal}")
