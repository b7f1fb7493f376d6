"""The triples of one document, indexed for rendering, and the ontology's words for them.

A page is rendered from the very triples its data document serialises (one query), so this
module only indexes them; ``Vocabulary`` holds what every page needs from the ontology
(labels, which classes are general), read once from the release when the app starts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from conflict_ld.resources import prefixes

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
TYPE = RDF + "type"
LABEL = RDFS + "label"

Term = ox.NamedNode | ox.BlankNode | ox.Literal


class Description:
    """Triples by subject and by object, in a stable order."""

    def __init__(self, triples: Iterable[ox.Triple]) -> None:
        self.out: dict[Term, dict[str, list[Term]]] = {}
        self.into: dict[tuple[str, Term], list[Term]] = {}
        unique = dict.fromkeys(triples)  # a CONSTRUCT may repeat a triple
        self.size = len(unique)
        for t in unique:
            s, p, o = t.subject, t.predicate.value, t.object
            props = self.out.get(s)
            if props is None:
                props = self.out[s] = {}
            values = props.get(p)
            if values is None:
                props[p] = [o]
            else:
                values.append(o)
            key = (p, o)
            back = self.into.get(key)
            if back is None:
                self.into[key] = [s]
            else:
                back.append(s)

    def objects(self, subject: Term, predicate: str) -> list[Term]:
        props = self.out.get(subject)
        return props.get(predicate, []) if props else []

    def first(self, subject: Term, predicate: str) -> Term | None:
        values = self.objects(subject, predicate)
        return values[0] if values else None

    def text(self, subject: Term, predicate: str) -> str | None:
        value = self.first(subject, predicate)
        return value.value if value is not None else None

    def subjects(self, predicate: str, obj: Term) -> list[Term]:
        return self.into.get((predicate, obj), [])

    def types(self, subject: Term) -> list[str]:
        return [t.value for t in self.objects(subject, TYPE) if isinstance(t, ox.NamedNode)]

    def label(self, node: Term, *, lang: str = "en") -> str | None:
        """The label in ``lang``, else one without a language, else any."""
        labels = [v for v in self.objects(node, LABEL) if isinstance(v, ox.Literal)]
        for wanted in (lang, None):
            for value in labels:
                if value.language == wanted:
                    return value.value
        return labels[0].value if labels else None

    def has(self, subject: Term) -> bool:
        return subject in self.out


@dataclass(frozen=True)
class Vocabulary:
    """What pages need from the ontology, computed once per app from the release's ontology."""

    ontology: Description
    triples: tuple[ox.Triple, ...]  # the release's ontology graph, blank nodes as stored
    namespace: str
    labels: dict[str, str] = field(default_factory=dict)
    ancestors: dict[str, frozenset[str]] = field(default_factory=dict)  # class -> all its super-classes

    @classmethod
    def from_triples(cls, triples: Iterable[ox.Triple], *, namespace: str) -> Vocabulary:
        triples = tuple(stable_blank_nodes(triples))
        d = Description(triples)
        labels = {s.value: label for s in d.out if isinstance(s, ox.NamedNode)
                  and (label := d.label(s)) is not None}
        parents: dict[str, set[str]] = defaultdict(set)
        for (p, o), subjects in d.into.items():
            if p == RDFS + "subClassOf" and isinstance(o, ox.NamedNode):
                for s in subjects:
                    parents[s.value].add(o.value)
        ancestors = {}
        for c in parents:
            seen, todo = set(), list(parents[c])
            while todo:
                if (x := todo.pop()) not in seen:
                    seen.add(x)
                    todo += parents.get(x, ())
            ancestors[c] = frozenset(seen)
        return cls(ontology=d, triples=triples, namespace=namespace, labels=labels, ancestors=ancestors)

    def term_name(self, iri: str) -> str:
        """A short name: the ontology's label for its own terms, else a prefixed name."""
        if iri in self.labels and iri.startswith(self.namespace):
            return self.labels[iri]
        return compact(iri)

    def own(self, iri: str) -> bool:
        return iri.startswith(self.namespace)

    def specific(self, types: Iterable[str]) -> list[str]:
        """The ontology's classes among ``types`` that no other of them is a sub-class of."""
        own = [t for t in types if self.own(t)]
        below = set().union(*(self.ancestors.get(t, ()) for t in own))
        return [t for t in own if t not in below]


def stable_blank_nodes(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The triples, sorted, with blank nodes renamed ``b0``, ``b1``, ... in the order they are
    reached from named subjects: the store names them anew at every load, and a document must
    be the same bytes after a restart. Enough for tree-shaped blank nodes (``[ ... ]``, lists)."""
    triples = list(triples)
    if not any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples):
        return sorted(triples, key=str)
    by_subject: dict[Term, list[ox.Triple]] = {}
    for t in triples:
        by_subject.setdefault(t.subject, []).append(t)

    def key(t: ox.Triple) -> tuple[str, str, str]:
        masked = "_" if isinstance(t.object, ox.BlankNode) else str(t.object)
        return ("_" if isinstance(t.subject, ox.BlankNode) else str(t.subject), str(t.predicate), masked)

    names: dict[ox.BlankNode, ox.BlankNode] = {}

    def visit(node: Term) -> None:
        for t in sorted(by_subject.get(node, ()), key=key):
            if isinstance(t.object, ox.BlankNode) and t.object not in names:
                names[t.object] = ox.BlankNode(f"b{len(names)}")
                visit(t.object)

    for subject in sorted((s for s in by_subject if not isinstance(s, ox.BlankNode)), key=str):
        visit(subject)
    for t in sorted(triples, key=key):  # blank nodes no named node reaches: in sorted order
        if isinstance(t.subject, ox.BlankNode) and t.subject not in names:
            names[t.subject] = ox.BlankNode(f"b{len(names)}")
            visit(t.subject)

    def rename(term: Term) -> Term:
        return names.get(term, term) if isinstance(term, ox.BlankNode) else term

    return sorted((ox.Triple(rename(t.subject), t.predicate, rename(t.object)) for t in triples), key=str)


def compact(iri: str) -> str:
    best = ""
    for prefix, namespace in prefixes().items():
        if iri.startswith(namespace) and len(namespace) > len(best):
            best, name = namespace, f"{prefix}:{iri[len(namespace):]}"
    return name if best else iri
