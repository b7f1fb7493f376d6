"""What each page shows, gathered from one document's triples (no query of its own).

Every function here takes a ``Description`` (the triples the data document holds) and returns
plain values for a template: names, links to local paths, the timeline of an entity's
relations with their evidence and references, the schema.org JSON-LD for search engines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox

from .description import (
    DCT,
    LABEL,
    OWL,
    PROV,
    RDFS,
    SCHEMA,
    SKOS,
    TYPE,
    Description,
    Term,
    Vocabulary,
    compact,
)


@dataclass(frozen=True)
class Value:
    """A value as a page shows it: text, a link when it is an IRI, a language tag."""

    text: str
    href: str | None = None
    lang: str | None = None
    note: str | None = None  # a datatype or the full IRI, as a tooltip


@dataclass
class Reference:
    number: str
    text: str
    href: str | None  # our page of the reference
    url: str | None  # the cited work itself, when the release has it


@dataclass
class Attestation:
    href: str | None
    source: Value | None
    evidence: str | None
    where: str  # line, section, field
    references: list[Reference] = field(default_factory=list)


@dataclass
class Fact:
    node: Term
    href: str | None
    kind: Value
    subject: Value | None
    object: Value | None
    when: str
    sort: str
    details: list[str]
    attestations: list[Attestation]
    disputed_by: list[Value]


@dataclass
class Section:
    """One node of a document as a table of its properties (for any kind of IRI)."""

    anchor: str
    title: str
    href: str | None
    rows: list[tuple[Value, list[Value]]]


class Renderer:
    """Turns terms into values: labels from the document, links to this server's paths."""

    def __init__(self, d: Description, vocabulary: Vocabulary,
                 local_path: Callable[[str], str | None]) -> None:
        self.d, self.vocabulary, self.local_path = d, vocabulary, local_path

    def href(self, iri: str) -> str:
        if self.vocabulary.own(iri):
            return "/ontology#" + iri[len(self.vocabulary.namespace):]
        return self.local_path(iri) or iri

    def value(self, term: Term, *, current: Term | None = None) -> Value:
        if isinstance(term, ox.Literal):
            datatype = term.datatype.value
            note = None if term.language or datatype.endswith("#string") else compact(datatype)
            return Value(term.value, lang=term.language, note=note)
        if isinstance(term, ox.BlankNode):
            return Value("(blank node)")
        label = self.d.label(term) or self.vocabulary.labels.get(term.value)
        text = label or (self.vocabulary.term_name(term.value) if self.local_path(term.value) is None
                         else term.value.rsplit("/", 1)[-1])
        return Value(text, None if term == current else self.href(term.value), note=term.value)

    def term(self, iri: str) -> Value:
        return Value(self.vocabulary.term_name(iri), self.href(iri), note=iri)

    def section(self, node: Term, *, title: str | None = None) -> Section:
        rows = [(self.term(p), [self.value(o, current=node) for o in objs])
                for p, objs in sorted(self.d.out.get(node, {}).items(), key=lambda kv: compact(kv[0]))]
        anchor = node.value.rsplit("/", 1)[-1] if isinstance(node, ox.NamedNode) else "node"
        return Section(anchor, title or self.value(node).text,
                       self.local_path(node.value) if isinstance(node, ox.NamedNode) else None, rows)

    # -- provenance ---------------------------------------------------------------------

    def attestation(self, node: Term) -> Attestation:
        d, cld = self.d, self.vocabulary.namespace
        source = d.first(node, PROV + "entity")
        where = ", ".join(x for x in (
            f"line {d.text(node, cld + 'line')}" if d.first(node, cld + "line") else "",
            d.text(node, cld + "section") or "",
            f"field “{d.text(node, cld + 'field')}”" if d.first(node, cld + "field") else "") if x)
        refs = [self.reference(r) for r in d.objects(node, cld + "cites")]
        refs.sort(key=lambda r: int(r.number) if r.number.isdigit() else 0)
        return Attestation(self.local_path(node.value) if isinstance(node, ox.NamedNode) else None,
                           self.value(source) if source is not None else None,
                           d.text(node, cld + "evidence"), where, refs)

    def reference(self, node: Term) -> Reference:
        d, cld = self.d, self.vocabulary.namespace
        number = d.text(node, cld + "referenceNumber") or node.value.rsplit("/", 1)[-1]
        text = d.text(node, DCT + "bibliographicCitation") or d.label(node) or node.value
        url = d.text(node, SCHEMA + "url")
        return Reference(number, text, self.local_path(node.value), url)

    # -- relation nodes -------------------------------------------------------------------

    def fact(self, node: Term, *, current: Term) -> Fact:
        d, cld = self.d, self.vocabulary.namespace
        kinds = self.vocabulary.specific(t for t in d.types(node) if t != cld + "Relation")
        kind = self.term(kinds[0]) if kinds else Value("Relation")
        subject, obj = d.first(node, cld + "subject"), d.first(node, cld + "object")
        details = []
        status = d.first(node, cld + "status")
        if status is not None:
            details.append(self.value(status).text)
        for prop, name in (("role", "role"), ("quantity", "number"), ("minQuantity", "at least"),
                           ("maxQuantity", "at most"), ("qualifier", "qualifier")):
            for value in d.objects(node, cld + prop):
                details.append(f"{name}: {value.value}")
        attestations = [self.attestation(a) for a in d.objects(node, PROV + "qualifiedDerivation")]
        attestations.sort(key=lambda a: (a.source.text if a.source else "", a.where))
        when, sort = period(d, node, cld)
        return Fact(node, self.local_path(node.value), kind,
                    self.value(subject, current=current) if subject is not None else None,
                    self.value(obj, current=current) if obj is not None else None,
                    when, sort, details, attestations,
                    [self.value(x, current=current) for x in d.objects(node, cld + "disputedBy")])


def period(d: Description, node: Term, cld: str) -> tuple[str, str]:
    """How a relation's time reads ("2015 – present", "? – 2018", "2018") and a sort key
    (its earliest possible start); both empty for an undated relation."""
    date, start, end = (d.text(node, cld + p) for p in ("date", "startDate", "endDate"))
    # An uncertain date ("2012/13") keeps only its bounds: show the years they span.
    start = start or _span(d.text(node, cld + "earliestStart"), d.text(node, cld + "latestStart"))
    end = end or _span(d.text(node, cld + "earliestEnd"), d.text(node, cld + "latestEnd"))
    if date and start == end:
        start = end = None
    ongoing = (d.text(node, cld + "ongoing") or "").lower() == "true"
    if date and not (start or end):
        when = date
    elif start or end or ongoing:
        when = f"{start or '?'} – {'present' if ongoing and not end else end or '?'}"
    else:
        when = ""
    bounds = [d.text(node, cld + p) for p in ("earliestStart", "latestStart", "earliestEnd", "latestEnd")]
    sort = next((b for b in bounds if b), "") if when else ""
    return when, sort or (when and "9999")


def _span(earliest: str | None, latest: str | None) -> str | None:
    if not earliest or not latest:
        return None
    return earliest[:4] if earliest[:4] == latest[:4] else f"{earliest[:4]}/{latest[:4]}"


@dataclass
class EntityPage:
    title: str
    arabic: list[str]
    alternative: list[Value]
    types: list[Value]
    timeline: list[Fact]
    undated: list[Fact]
    mentioned_in: list[Value]
    statements: Section
    jsonld: dict


def entity_page(d: Description, iri: str, r: Renderer) -> EntityPage:
    node = ox.NamedNode(iri)
    cld = r.vocabulary.namespace
    title = d.label(node) or iri.rsplit("/", 1)[-1].replace("_", " ")
    labels = [v for v in d.objects(node, LABEL) if isinstance(v, ox.Literal)]
    arabic = [v.value for v in labels if v.language == "ar"]
    alternative = sorted({r.value(v) for v in d.objects(node, SKOS + "altLabel") if v.value != title
                          and v.value not in arabic}, key=lambda v: (v.lang or "", v.text))
    types = [r.term(t) for t in r.vocabulary.specific(d.types(node))]
    nodes: list[Term] = []
    for prop in ("subject", "object", "disputedBy"):
        nodes += [n for n in d.subjects(cld + prop, node) if n not in nodes]
    facts = [r.fact(n, current=node) for n in nodes]
    dated = sorted((f for f in facts if f.when), key=lambda f: (f.sort, f.kind.text, f.when))
    undated = sorted((f for f in facts if not f.when), key=lambda f: (f.kind.text, _party(f)))
    mentioned = [r.value(s) for s in d.subjects(cld + "about", node)]
    return EntityPage(title, arabic, alternative, types, dated, undated, mentioned,
                      r.section(node, title="All statements"), schema_org(d, node, title, facts, r))


def _party(fact: Fact) -> str:
    return fact.object.text if fact.object else ""


SCHEMA_TYPES = ("Organization", "Person", "Place", "Event")


def schema_org(d: Description, node: ox.NamedNode, title: str, facts: list[Fact], r: Renderer) -> dict:
    """The schema.org description search engines read (JSON-LD in the page)."""
    types = d.types(node)
    kind = next((t for t in SCHEMA_TYPES if SCHEMA + t in types), "Thing")
    names = [v.value for v in d.objects(node, LABEL) if v.value != title]
    names += [v.value for v in d.objects(node, SKOS + "altLabel")
              if v.value not in names and v.value != title]
    out: dict = {"@context": "https://schema.org", "@type": kind, "@id": node.value, "name": title,
                 "url": node.value}
    if names:
        out["alternateName"] = names
    same = [o.value for p in (OWL + "sameAs", SKOS + "exactMatch") for o in d.objects(node, p)
            if isinstance(o, ox.NamedNode)]
    if same:
        out["sameAs"] = same
    cld = r.vocabulary.namespace
    own = [f for f in facts if f.subject is not None and f.subject.href is None]
    for key, classes, end in (("foundingDate", ("ActivePeriod", "Founding"), False),
                              ("dissolutionDate", ("ActivePeriod", "Dissolution"), True)):
        dates = []
        for f in own:
            if f.kind.note in {cld + c for c in classes}:
                props = ("endDate", "date") if end else ("startDate", "date")
                dates += [v.value for p in props for v in d.objects(f.node, cld + p)][:1]
        if dates:
            out[key] = min(dates) if not end else max(dates)
    classes = r.vocabulary.specific(types)
    if classes:
        out["description"] = f"{r.vocabulary.term_name(classes[0])} in conflict-ld"
    return out


@dataclass
class ThingPage:
    title: str
    main: Section
    incoming: list[tuple[Value, Value]]  # (subject, property) pointing here
    facts: list[Fact]
    attestations: list[Attestation]
    related: list[Section]


def thing_page(d: Description, iri: str, r: Renderer, *, kind: str) -> ThingPage:
    """Any IRI that is not an entity: the node's properties, what points at it, and every other
    node the document describes, each as its own section (anchor = its last path segment)."""
    node = ox.NamedNode(iri)
    facts = [r.fact(node, current=node)] if kind == "relation" else []
    if kind == "attestation":
        facts = [r.fact(n, current=node) for n in d.subjects(PROV + "qualifiedDerivation", node)]
    attestations = [r.attestation(node)] if kind == "attestation" else []
    title = d.label(node) or _title(d, node, kind, facts, r)
    incoming = [(r.value(s), r.term(p)) for (p, o), subjects in d.into.items() if o == node
                for s in subjects]
    incoming.sort(key=lambda pair: (pair[1].text, pair[0].text))
    related = [r.section(s) for s in d.out if s != node and isinstance(s, ox.NamedNode)
               and set(d.out[s]) - {LABEL, TYPE}]
    related.sort(key=lambda s: (s.title, s.anchor))
    return ThingPage(title, r.section(node, title="Statements"), incoming, facts, attestations, related)


def _title(d: Description, node: ox.NamedNode, kind: str, facts: list[Fact], r: Renderer) -> str:
    if kind == "relation" and facts:
        f = facts[0]
        parties = " → ".join(p.text for p in (f.subject, f.object) if p is not None)
        return f"{f.kind.text}: {parties}"
    if kind == "attestation":
        source = d.first(node, PROV + "entity")
        return f"Attestation in {r.value(source).text}" if source is not None else "Attestation"
    return node.value.rsplit("/", 1)[-1]


@dataclass
class GraphPage:
    title: str
    triples: int
    source: Value | None
    members: list[Value]
    truncated: bool


GRAPH_PAGE_LIMIT = 2000


def graph_page(d: Description, iri: str, r: Renderer) -> GraphPage:
    """A named graph's page: its size, the source article it holds (``graph/{stem}`` holds
    what ``source/{stem}`` states), and the things it types, up to a limit."""
    name = iri.rsplit("/", 1)[-1]
    source_iri = next((s.value for s in d.subjects(TYPE, ox.NamedNode(r.vocabulary.namespace + "Source"))
                       if isinstance(s, ox.NamedNode) and s.value.endswith("/source/" + name)), None)
    labelled = [s for s in d.out if isinstance(s, ox.NamedNode) and d.objects(s, TYPE)]
    labelled.sort(key=lambda s: (d.label(s) is None, (d.label(s) or s.value).casefold()))
    members = [r.value(s) for s in labelled[:GRAPH_PAGE_LIMIT]]
    source = r.value(ox.NamedNode(source_iri)) if source_iri else None
    return GraphPage(iri.rsplit("/", 1)[-1], d.size, source, members, len(labelled) > GRAPH_PAGE_LIMIT)


@dataclass
class Term_:
    anchor: str
    iri: str
    label: str
    comment: str
    rows: list[tuple[str, list[Value]]]


ONTOLOGY_SECTIONS = (
    ("Classes", (OWL + "Class", RDFS + "Class")),
    ("Object properties", (OWL + "ObjectProperty",)),
    ("Datatype properties", (OWL + "DatatypeProperty",)),
    ("Annotation properties", (OWL + "AnnotationProperty",)),
    ("Individuals", (OWL + "NamedIndividual",)),
)

_TERM_ROWS = (
    ("type", TYPE), ("sub-class of", RDFS + "subClassOf"), ("sub-property of", RDFS + "subPropertyOf"),
    ("domain", RDFS + "domain"), ("range", RDFS + "range"), ("inverse of", OWL + "inverseOf"),
    ("equivalent class", OWL + "equivalentClass"), ("equivalent property", OWL + "equivalentProperty"),
    ("disjoint with", OWL + "disjointWith"), ("shortcut for", "cld:shortcutFor"),
    ("in scheme", SKOS + "inScheme"), ("close match", SKOS + "closeMatch"),
    ("exact match", SKOS + "exactMatch"), ("see also", RDFS + "seeAlso"),
)


def ontology_page(vocabulary: Vocabulary, r: Renderer) -> list[tuple[str, list[Term_]]]:
    """Every term of the ontology's namespace, by section, with its label, comment and axioms;
    the shortcut tables read both ways (a relation class names its shortcut property)."""
    d, ns = vocabulary.ontology, vocabulary.namespace
    shortcut = ns + "shortcutFor"
    terms = sorted((s for s in d.out if isinstance(s, ox.NamedNode) and s.value.startswith(ns)
                    and len(s.value) > len(ns)), key=lambda s: s.value.casefold())
    sections: list[tuple[str, list[Term_]]] = [(name, []) for name, _ in ONTOLOGY_SECTIONS]
    other: list[Term_] = []
    for term in terms:
        rows = []
        for name, prop in _TERM_ROWS:
            prop = prop.replace("cld:", ns)
            values = [_axiom(d, o, r) for o in d.objects(term, prop)]
            if values:
                rows.append((name, values))
        inverse = d.subjects(shortcut, term)
        if inverse:
            rows.append(("shortcut property", [r.value(s) for s in inverse]))
        entry = Term_(term.value[len(ns):], term.value, d.label(term) or term.value[len(ns):],
                      d.text(term, RDFS + "comment") or "", rows)
        types = d.types(term)
        target = next((items for (_, classes), (_, items) in zip(ONTOLOGY_SECTIONS, sections, strict=True)
                       if any(c in types for c in classes)), other)
        target.append(entry)
    if other:
        sections.append(("Other terms", other))
    return [(name, items) for name, items in sections if items]


def _axiom(d: Description, term: Term, r: Renderer) -> Value:
    """A value of an axiom; a blank node that is an ``owl:unionOf`` list reads "A or B"."""
    if isinstance(term, ox.BlankNode):
        members: list[str] = []
        node = d.first(term, OWL + "unionOf")
        while isinstance(node, ox.BlankNode):
            first = d.first(node, "http://www.w3.org/1999/02/22-rdf-syntax-ns#first")
            if first is not None:
                members.append(compact(first.value))
            node = d.first(node, "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest")
        return Value(" or ".join(members) if members else "(anonymous)")
    if isinstance(term, ox.NamedNode):
        return r.term(term.value)
    return r.value(term)

