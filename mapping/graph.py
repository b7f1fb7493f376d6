"""Facts and entities to RDF quads: one named graph per source, one for resolved entities.

Every IRI is minted here from the base and from content, so the same input always gives
the same IRIs: entities from their label, relation nodes from a hash of what they state,
attestations from their relation, source and line.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import pyoxigraph as ox

from .dates import DateValue, Period
from .facts import Fact
from .infobox_facts import InfoboxMapper
from .mentions import ProseTables
from .prose_facts import ProseMapper, ProseRule
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
    # The dataset as N-Quads lines (each ends in " .\n"), one named graph per source and one of
    # the resolved entities; empty when map_articles wrote them to a sink.
    nquads: set[str]
    entities: dict[str, Entity]
    facts: list[Fact]
    dropped: list[Dropped]
    unmapped_labels: dict[str, list[str]]  # source id -> infobox labels no table row knows
    subjects: dict[str, str]  # source id -> entity key of the article's subject
    sources: dict[str, str]  # source id -> the source's IRI


ENTITIES_GRAPH = "entities"


def map_articles(
    articles: Sequence[Article],
    *,
    tables: Tables,
    vocab: Vocabulary,
    prose: tuple[Sequence[ProseRule], ProseTables] | None = None,
    sink: Callable[[list[str]], None] | None = None,
) -> MappingResult:
    """The whole mapping: records in, one dataset out. Pure: no files, no network.
    ``prose`` (rules and tables) turns sentences into facts too; without it only infoboxes
    are mapped. ``sink``, when given, receives the dataset's N-Quads lines in batches as the
    articles are mapped (a line may come more than once), instead of ``MappingResult.nquads``."""
    resolver = Resolver(tables)
    facts: list[Fact] = []
    dropped: list[Dropped] = []
    unmapped: dict[str, list[str]] = {}
    subjects: dict[str, str] = {}
    emitter = _Emitter(vocab=vocab, articles={a.source_id: a for a in articles})
    collected: set[str] = set()
    flush = sink if sink is not None else collected.update
    for article in sorted(articles, key=lambda a: a.source_id):
        subject = resolver.subject(article.record.title, source=article.source_id)
        for native in article.record.native_names:
            subject.native.setdefault(article.source_id, set()).add(native)
        subjects[article.source_id] = subject.key
        mapper = InfoboxMapper(resolver=resolver, source=article.source_id, subject=subject)
        found = mapper.facts(article.record)
        dropped.extend(mapper.dropped)
        if prose is not None:
            sentences = ProseMapper(resolver=resolver, source=article.source_id, subject=subject,
                                    rules=prose[0], prose=prose[1])
            found.extend(sentences.facts(article.record))
        if mapper.unmapped_labels:
            unmapped[article.source_id] = mapper.unmapped_labels
        facts.extend(found)
        # What an article states is written as soon as it is mapped: a relation node's IRI
        # depends only on what the fact says, and each fact's statements only on the fact.
        emitter.source(article, subject=subject.key)
        emitter.facts(found)
        if len(emitter.lines) >= _BATCH:
            flush(emitter.take())
    # Entities last: their labels gather the surface forms of every article.
    emitter.entities(resolver.entities.values())
    flush(emitter.take())
    return MappingResult(
        nquads=collected,
        entities=resolver.entities,
        facts=facts,
        dropped=dropped,
        unmapped_labels=unmapped,
        subjects=subjects,
        sources={a.source_id: vocab.source(a.source_id).value for a in articles},
    )


_BATCH = 20_000  # N-Quads lines handed to the sink at a time


def digest(*parts: object) -> str:
    """A short stable hash of content: canonical JSON, so Python's hash seed plays no part."""
    if all(type(part) is str or type(part) is int for part in parts):
        # The same text, written directly (an attestation's parts are all of these).
        text = f"[{', '.join(_json_string(p) if type(p) is str else repr(p) for p in parts)}]"
    else:
        text = _CANONICAL.encode(parts)
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


def _nt(term: ox.NamedNode | ox.Literal) -> str:
    """A term in N-Triples syntax, as Oxigraph writes it (and checks: a bad IRI raises)."""
    return str(term)


class _Emitter:
    """Writes the quads as N-Quads lines, every term as Oxigraph writes it: every later stage
    (reasoning, validation, serialisation) runs in an Oxigraph store, which parses the lines
    in bulk, so no Python object is made per statement."""

    def __init__(self, *, vocab: Vocabulary, articles: Mapping[str, Article]) -> None:
        self.lines: list[str] = []
        self.v = vocab
        self.articles = articles
        self._graphs: dict[str, str] = {}
        self._terms: dict[tuple[str, str], str] = {}
        self._entities: dict[str, str] = {}
        self._sources: dict[str, tuple[str, str, frozenset[int]]] = {}
        self._relations: dict[tuple[object, ...], tuple[str, str]] = {}
        self._integers: dict[int, str] = {}
        self._days: dict[date, str] = {}
        self._strings: dict[str, str] = {}

    def take(self) -> list[str]:
        """The lines written since the last call."""
        lines, self.lines = self.lines, []
        return lines

    def add(self, graph: str, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o} {graph} .\n")

    def _graph(self, name: str) -> str:
        graph = self._graphs.get(name)
        if graph is None:
            graph = self._graphs[name] = _nt(self.v.graph(name))
        return graph

    def t(self, prefix: str, local: str) -> str:
        term = self._terms.get((prefix, local))
        if term is None:
            term = self._terms[(prefix, local)] = _nt(self.v.term(prefix, local))
        return term

    def _typed(self, lexical: str, datatype: str) -> str:
        return _nt(ox.Literal(lexical, datatype=self.v.term("xsd", datatype)))

    def _integer(self, number: int) -> str:
        literal = self._integers.get(number)
        if literal is None:
            literal = self._integers[number] = self._typed(str(number), "integer")
        return literal

    def _string(self, text: str) -> str:
        literal = self._strings.get(text)
        if literal is None:
            literal = self._strings[text] = _nt(ox.Literal(text))
        return literal

    @staticmethod
    def _lang(text: str, language: str) -> str:
        return _nt(ox.Literal(text, language=language))

    def entities(self, entities: Iterable[Entity]) -> None:
        g = self._graph(ENTITIES_GRAPH)
        add, t, lang = self.add, self.t, self._lang
        for entity in entities:
            iri = self._entity(entity.key)
            add(g, iri, t("rdf", "type"), t("cld", entity.cls))
            add(g, iri, t("rdfs", "label"), lang(entity.label, "en"))
            add(g, iri, t("skos", "prefLabel"), lang(entity.label, "en"))
            for alias in entity.aliases:
                add(g, iri, t("skos", "altLabel"), lang(alias, "en"))
            arabic = entity.arabic or next(
                (n for sid in sorted(entity.native) for n in sorted(entity.native[sid])), None
            )
            if arabic:
                add(g, iri, t("rdfs", "label"), lang(arabic, "ar"))
            for source_id, forms in entity.surface.items():
                sg = self._graph(source_id)
                for form in forms:
                    if form != entity.label:
                        add(sg, iri, t("skos", "altLabel"), lang(form, "en"))
            for source_id, forms in entity.native.items():
                sg = self._graph(source_id)
                for form in forms:
                    add(sg, iri, t("skos", "altLabel"), lang(form, "ar"))

    def source(self, article: Article, *, subject: str) -> None:
        g = self._graph(article.source_id)
        add, t, string = self.add, self.t, self._string
        iri = _nt(self.v.source(article.source_id))
        record = article.record
        add(g, iri, t("rdf", "type"), t("cld", "Source"))
        add(g, iri, t("rdfs", "label"), self._lang(f"{record.title} ({article.file_name})", "en"))
        add(g, iri, t("dct", "title"), string(record.title))
        add(g, iri, t("cld", "fileName"), string(article.file_name))
        add(g, iri, t("cld", "sha256"), string(article.sha256))
        add(g, iri, t("cld", "rendering"), string(record.rendering))
        add(g, iri, t("dct", "license"), _nt(CC_BY_SA_4))
        add(g, iri, t("cld", "about"), self._entity(subject))
        if article.url:
            add(g, iri, t("schema", "url"), self._typed(article.url, "anyURI"))
        for ref in record.references:
            r = _nt(self.v.reference(article.source_id, ref.number))
            add(g, r, t("rdf", "type"), t("cld", "Reference"))
            add(g, r, t("rdfs", "label"), string(f"[{ref.number}] {ref.text}"))
            add(g, r, t("cld", "referenceNumber"), self._integer(ref.number))
            add(g, r, t("dct", "bibliographicCitation"), string(ref.text))
            add(g, r, t("dct", "isReferencedBy"), iri)
            add(g, r, t("cld", "line"), self._integer(ref.line))

    def facts(self, facts: Iterable[Fact]) -> None:
        """Every fact with the same content is one relation node, whatever article states it."""
        for fact in facts:
            key = fact.content_key()
            node = self._relations.get(key)
            if node is None:
                relation = self.v.relation(fact.relation, digest(*key))
                node = self._relations[key] = (_nt(relation), relation.value)
            self._fact(fact, *node)

    def _entity(self, key: str) -> str:
        node = self._entities.get(key)
        if node is None:
            node = self._entities[key] = _nt(self.v.entity(key))
        return node

    def _source_terms(self, source_id: str) -> tuple[str, str, frozenset[int]]:
        """A source's graph, its IRI and the numbers of its references."""
        terms = self._sources.get(source_id)
        if terms is None:
            known_refs = frozenset(r.number for r in self.articles[source_id].record.references)
            terms = (self._graph(source_id), _nt(self.v.source(source_id)), known_refs)
            self._sources[source_id] = terms
        return terms

    def _fact(self, fact: Fact, node: str, node_iri: str) -> None:
        t, put = self.t, self.lines.append
        string, integer, entity = self._string, self._integer, self._entity
        source_id = fact.attestation.source
        g, src, known_refs = self._source_terms(source_id)
        end = f" {g} .\n"
        subject = entity(fact.subject)
        put(f"{node} {t('rdf', 'type')} {t('cld', fact.relation)}{end}")
        put(f"{node} {t('cld', 'subject')} {subject}{end}")
        if fact.object:
            put(f"{node} {t('cld', 'object')} {entity(fact.object)}{end}")
        self._period(g, node, fact.period)
        if fact.quantity is not None:
            q = fact.quantity
            for prop, number in (("quantity", q.value), ("minQuantity", q.minimum),
                                 ("maxQuantity", q.maximum)):
                if number is not None:
                    put(f"{node} {t('cld', prop)} {integer(number)}{end}")
        for status in fact.statuses:
            put(f"{node} {t('cld', 'status')} {t('cld', status)}{end}")
        for agent in fact.disputed_by:
            put(f"{node} {t('cld', 'disputedBy')} {entity(agent)}{end}")
        for prop, text in (("role", fact.role), ("qualifier", fact.qualifier),
                           ("formerName", fact.former_name), ("newName", fact.new_name)):
            if text:
                put(f"{node} {t('cld', prop)} {string(text)}{end}")
        put(f"{node} {t('prov', 'wasDerivedFrom')} {src}{end}")
        att = fact.attestation
        att_iri = _nt(self.v.attestation(digest(node_iri, source_id, att.line, att.field or "")))
        put(f"{node} {t('prov', 'qualifiedDerivation')} {att_iri}{end}")
        put(f"{att_iri} {t('rdf', 'type')} {t('cld', 'Attestation')}{end}")
        put(f"{att_iri} {t('prov', 'entity')} {src}{end}")
        put(f"{att_iri} {t('cld', 'evidence')} {string(att.evidence)}{end}")
        put(f"{att_iri} {t('cld', 'line')} {integer(att.line)}{end}")
        put(f"{att_iri} {t('cld', 'section')} {string(att.section)}{end}")
        if att.field:
            put(f"{att_iri} {t('cld', 'field')} {string(att.field)}{end}")
        for number in att.cites:
            if number in known_refs:
                put(f"{att_iri} {t('cld', 'cites')} {_nt(self.v.reference(source_id, number))}{end}")
        shortcut = self.v.shortcuts.get(fact.relation)
        if shortcut and fact.object and "Denied" not in fact.statuses:
            put(f"{subject} {t('cld', shortcut)} {entity(fact.object)}{end}")

    def _period(self, g: str, node: str, period: Period | None) -> None:
        if period is None:
            return
        if period.instant and period.start is not None:
            self._literal(g, node, "date", period.start)
            self._bounds(g, node, "earliestStart", "latestStart", period.start)
            self._bounds(g, node, "earliestEnd", "latestEnd", period.start)
            return
        if period.start is not None:
            self._literal(g, node, "startDate", period.start)
            self._bounds(g, node, "earliestStart", "latestStart", period.start)
        if period.end is not None:
            self._literal(g, node, "endDate", period.end)
            self._bounds(g, node, "earliestEnd", "latestEnd", period.end)
        if period.ongoing:
            self.add(g, node, self.t("cld", "ongoing"), self._typed("true", "boolean"))

    def _literal(self, g: str, node: str, prop: str, value: DateValue) -> None:
        if value.lexical and value.precision in _DATATYPES:
            self.add(g, node, self.t("cld", prop), self._typed(value.lexical, _DATATYPES[value.precision]))

    def _bounds(self, g: str, node: str, low: str, high: str, value: DateValue) -> None:
        for prop, day in ((low, value.earliest), (high, value.latest)):
            if day is not None:
                literal = self._days.get(day)
                if literal is None:
                    literal = self._days[day] = self._typed(day.isoformat(), "date")
                self.lines.append(f"{node} {self.t('cld', prop)} {literal} {g} .\n")
