"""Facts and entities to RDF: one named graph per source, one for resolved entities.

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

from rdflib import RDF, RDFS, XSD, Dataset, Literal, Namespace, URIRef
from rdflib.graph import Graph

from .dates import DateValue, Period
from .facts import Fact
from .infobox_facts import InfoboxMapper
from .mentions import ProseTables
from .prose_facts import ProseMapper, ProseRule
from .record import ArticleRecord
from .resolve import Dropped, Entity, Resolver
from .tables import Tables

CC_BY_SA_4 = URIRef("https://creativecommons.org/licenses/by-sa/4.0/")
_DATATYPES = {"year": XSD.gYear, "month": XSD.gYearMonth, "day": XSD.date}


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
    base: str  # e.g. "http://localhost:8080/"
    prefixes: Mapping[str, str]
    shortcuts: Mapping[str, str]  # relation class local name -> shortcut property local name

    @property
    def cld(self) -> Namespace:
        return Namespace(self.prefixes["cld"])

    def ns(self, prefix: str) -> Namespace:
        return Namespace(self.prefixes[prefix])

    def entity(self, key: str) -> URIRef:
        return URIRef(f"{self.base}resource/{key}")

    def source(self, source_id: str) -> URIRef:
        return URIRef(f"{self.base}source/{source_id}")

    def reference(self, source_id: str, number: int) -> URIRef:
        return URIRef(f"{self.base}source/{source_id}/reference/{number}")

    def graph(self, name: str) -> URIRef:
        return URIRef(f"{self.base}graph/{name}")

    def relation(self, relation: str, digest: str) -> URIRef:
        return URIRef(f"{self.base}relation/{relation}_{digest}")

    def attestation(self, digest: str) -> URIRef:
        return URIRef(f"{self.base}attestation/{digest}")


@dataclass
class MappingResult:
    dataset: Dataset
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
) -> MappingResult:
    """The whole mapping: records in, one dataset out. Pure: no files, no network.
    ``prose`` (rules and tables) turns sentences into facts too; without it only infoboxes
    are mapped."""
    resolver = Resolver(tables)
    facts: list[Fact] = []
    dropped: list[Dropped] = []
    unmapped: dict[str, list[str]] = {}
    subjects: dict[str, str] = {}
    for article in sorted(articles, key=lambda a: a.source_id):
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
            facts.extend(sentences.facts(article.record))
        if mapper.unmapped_labels:
            unmapped[article.source_id] = mapper.unmapped_labels
    dataset = Dataset(default_union=True)
    _bind(dataset, vocab)
    emitter = _Emitter(dataset=dataset, vocab=vocab, articles={a.source_id: a for a in articles})
    emitter.entities(resolver.entities.values())
    for article in sorted(articles, key=lambda a: a.source_id):
        emitter.source(article, subject=subjects[article.source_id])
    emitter.facts(facts)
    return MappingResult(
        dataset=dataset,
        entities=resolver.entities,
        facts=facts,
        dropped=dropped,
        unmapped_labels=unmapped,
        subjects=subjects,
        sources={a.source_id: str(vocab.source(a.source_id)) for a in articles},
    )


def _bind(dataset: Dataset, vocab: Vocabulary) -> None:
    for prefix, iri in vocab.prefixes.items():
        dataset.bind(prefix, Namespace(iri), override=True, replace=True)
    dataset.bind("res", Namespace(f"{vocab.base}resource/"), override=True, replace=True)


def digest(*parts: object) -> str:
    """A short stable hash of content: canonical JSON, so Python's hash seed plays no part."""
    text = json.dumps(parts, default=_jsonable, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _jsonable(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    raise TypeError(f"cannot hash {type(value).__name__}")


class _Emitter:
    def __init__(self, *, dataset: Dataset, vocab: Vocabulary, articles: Mapping[str, Article]) -> None:
        self.ds = dataset
        self.v = vocab
        self.cld = vocab.cld
        self.articles = articles
        self.prov = vocab.ns("prov")
        self.skos = vocab.ns("skos")
        self.dct = vocab.ns("dct")
        self.schema = vocab.ns("schema")

    def _graph(self, name: str) -> Graph:
        return self.ds.graph(self.v.graph(name))

    def entities(self, entities: Iterable[Entity]) -> None:
        g = self._graph(ENTITIES_GRAPH)
        for entity in entities:
            iri = self.v.entity(entity.key)
            g.add((iri, RDF.type, self.cld[entity.cls]))
            g.add((iri, RDFS.label, Literal(entity.label, lang="en")))
            g.add((iri, self.skos.prefLabel, Literal(entity.label, lang="en")))
            for alias in entity.aliases:
                g.add((iri, self.skos.altLabel, Literal(alias, lang="en")))
            arabic = entity.arabic or next(
                (n for sid in sorted(entity.native) for n in sorted(entity.native[sid])), None
            )
            if arabic:
                g.add((iri, RDFS.label, Literal(arabic, lang="ar")))
            for source_id, forms in entity.surface.items():
                sg = self._graph(source_id)
                for form in forms:
                    if form != entity.label:
                        sg.add((iri, self.skos.altLabel, Literal(form, lang="en")))
            for source_id, forms in entity.native.items():
                sg = self._graph(source_id)
                for form in forms:
                    sg.add((iri, self.skos.altLabel, Literal(form, lang="ar")))

    def source(self, article: Article, *, subject: str) -> None:
        g = self._graph(article.source_id)
        iri = self.v.source(article.source_id)
        record = article.record
        g.add((iri, RDF.type, self.cld.Source))
        g.add((iri, RDFS.label, Literal(f"{record.title} ({article.file_name})", lang="en")))
        g.add((iri, self.dct.title, Literal(record.title)))
        g.add((iri, self.cld.fileName, Literal(article.file_name)))
        g.add((iri, self.cld.sha256, Literal(article.sha256)))
        g.add((iri, self.cld.rendering, Literal(record.rendering)))
        g.add((iri, self.dct.license, CC_BY_SA_4))
        g.add((iri, self.cld.about, self.v.entity(subject)))
        if article.url:
            g.add((iri, self.schema.url, Literal(article.url, datatype=XSD.anyURI)))
        for ref in record.references:
            r = self.v.reference(article.source_id, ref.number)
            g.add((r, RDF.type, self.cld.Reference))
            g.add((r, RDFS.label, Literal(f"[{ref.number}] {ref.text}")))
            g.add((r, self.cld.referenceNumber, Literal(ref.number)))
            g.add((r, self.dct.bibliographicCitation, Literal(ref.text)))
            g.add((r, self.dct.isReferencedBy, iri))
            g.add((r, self.cld.line, Literal(ref.line)))

    def facts(self, facts: Sequence[Fact]) -> None:
        groups: dict[tuple[object, ...], list[Fact]] = defaultdict(list)
        for fact in facts:
            groups[fact.content_key()].append(fact)
        for key, group in groups.items():
            self._relation(key, group)

    def _relation(self, key: tuple[object, ...], group: list[Fact]) -> None:
        first = group[0]
        node = self.v.relation(first.relation, digest(*key))
        for fact in group:
            source_id = fact.attestation.source
            g = self._graph(source_id)
            src = self.v.source(source_id)
            subject = self.v.entity(fact.subject)
            g.add((node, RDF.type, self.cld[fact.relation]))
            g.add((node, self.cld.subject, subject))
            if fact.object:
                g.add((node, self.cld.object, self.v.entity(fact.object)))
            self._period(g, node, fact.period)
            if fact.quantity is not None:
                for prop, number in (
                    (self.cld.quantity, fact.quantity.value),
                    (self.cld.minQuantity, fact.quantity.minimum),
                    (self.cld.maxQuantity, fact.quantity.maximum),
                ):
                    if number is not None:
                        g.add((node, prop, Literal(number)))
            for status in fact.statuses:
                g.add((node, self.cld.status, self.cld[status]))
            for agent in fact.disputed_by:
                g.add((node, self.cld.disputedBy, self.v.entity(agent)))
            if fact.role:
                g.add((node, self.cld.role, Literal(fact.role)))
            if fact.qualifier:
                g.add((node, self.cld.qualifier, Literal(fact.qualifier)))
            if fact.former_name:
                g.add((node, self.cld.formerName, Literal(fact.former_name)))
            if fact.new_name:
                g.add((node, self.cld.newName, Literal(fact.new_name)))
            g.add((node, self.prov.wasDerivedFrom, src))
            att = fact.attestation
            att_iri = self.v.attestation(digest(str(node), source_id, att.line, att.field or ""))
            g.add((node, self.prov.qualifiedDerivation, att_iri))
            g.add((att_iri, RDF.type, self.cld.Attestation))
            g.add((att_iri, self.prov.entity, src))
            g.add((att_iri, self.cld.evidence, Literal(att.evidence)))
            g.add((att_iri, self.cld.line, Literal(att.line)))
            g.add((att_iri, self.cld.section, Literal(att.section)))
            if att.field:
                g.add((att_iri, self.cld.field, Literal(att.field)))
            known_refs = {r.number for r in self.articles[source_id].record.references}
            for number in att.cites:
                if number in known_refs:
                    g.add((att_iri, self.cld.cites, self.v.reference(source_id, number)))
            shortcut = self.v.shortcuts.get(fact.relation)
            if shortcut and fact.object and "Denied" not in fact.statuses:
                g.add((subject, self.cld[shortcut], self.v.entity(fact.object)))

    def _period(self, g: Graph, node: URIRef, period: Period | None) -> None:
        if period is None:
            return
        cld = self.cld
        if period.instant and period.start is not None:
            self._literal(g, node, cld.date, period.start)
            self._bounds(g, node, cld.earliestStart, cld.latestStart, period.start)
            self._bounds(g, node, cld.earliestEnd, cld.latestEnd, period.start)
            return
        if period.start is not None:
            self._literal(g, node, cld.startDate, period.start)
            self._bounds(g, node, cld.earliestStart, cld.latestStart, period.start)
        if period.end is not None:
            self._literal(g, node, cld.endDate, period.end)
            self._bounds(g, node, cld.earliestEnd, cld.latestEnd, period.end)
        if period.ongoing:
            g.add((node, cld.ongoing, Literal(True)))

    @staticmethod
    def _literal(g: Graph, node: URIRef, prop: URIRef, value: DateValue) -> None:
        if value.lexical and value.precision in _DATATYPES:
            g.add((node, prop, Literal(value.lexical, datatype=_DATATYPES[value.precision])))

    @staticmethod
    def _bounds(g: Graph, node: URIRef, low: URIRef, high: URIRef, value: DateValue) -> None:
        if value.earliest is not None:
            g.add((node, low, Literal(value.earliest, datatype=XSD.date)))
        if value.latest is not None:
            g.add((node, high, Literal(value.latest, datatype=XSD.date)))
