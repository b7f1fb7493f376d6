"""The validation gate: SHACL shapes (``shapes/shapes.ttl``) over the data and the ontology.

A violation blocks a release; a warning is reported and published. Every finding names the
focus node, the shape, the message, and where the offending fact came from (source file and
evidence text), so the person who reads it can fix the article or the tables.

Two engines give the same results (the tests hold them equal on every shape example, on the
mutated and on the real build): the shapes compiled to SPARQL and run in Oxigraph
(``conflict_ld.shacl``, the default: one query per constraint for the whole graph), and pySHACL,
the reference, which walks the graph in Python and takes minutes where the queries take seconds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from .shacl.engine import compile_shapes, evaluate
from .shacl.model import load_shapes

PROV = "http://www.w3.org/ns/prov#"
ENGINES = ("oxigraph", "pyshacl")


@dataclass(frozen=True)
class Finding:
    severity: str  # "Violation" | "Warning" | "Info"
    focus: str
    shape: str
    path: str | None
    message: str
    value: str | None
    sources: tuple[tuple[str, str], ...]  # (file name, evidence) of the focus node's facts

    def render(self) -> str:
        lines = [f"{self.severity}: {self.message}", f"  focus: {self.focus}", f"  shape: {self.shape}"]
        if self.path:
            lines.append(f"  path:  {self.path}")
        if self.value is not None:
            lines.append(f"  value: {self.value}")
        for file_name, evidence in self.sources:
            lines.append(f"  from:  {file_name}: {evidence}")
        return "\n".join(lines)


def validation_store(*sources: Iterable[ox.Triple]) -> ox.Store:
    """One default graph holding the data merged with the ontology (its rdfs:subClassOf makes
    a Leadership a Relation for targets and sh:class), as a set: a triple stated by several
    sources is one triple."""
    store = ox.Store()
    default = ox.DefaultGraph()
    for triples in sources:
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, default) for t in triples)
    return store


def validate(store: ox.Store, *, shapes: Graph, cld: str) -> list[Finding]:
    """Every finding of the shapes on the store's default graph (see ``validation_store``)."""
    results = evaluate(store, compile_shapes(load_shapes(shapes)))
    sources = _sources(store, {r.focus for r in results if isinstance(r.focus, ox.NamedNode)}, cld=cld)
    found = {
        Finding(severity=r.severity, focus=_text(r.focus), shape=r.shape, path=r.path, message=r.message,
                value=_text(r.value) if r.value is not None else None,
                sources=sources.get(r.focus, ()))  # type: ignore[arg-type]
        for r in results
    }
    return sorted(found, key=lambda f: (f.severity, f.focus, f.shape, f.path or "", f.value or ""))


def validate_with_pyshacl(data: Graph, *, shapes: Graph) -> list[Finding]:
    """The reference engine on an rdflib graph that already holds the ontology (no sources)."""
    from pyshacl import validate as shacl_validate  # slow to import, and only for a second opinion

    _, report, _ = shacl_validate(data, shacl_graph=shapes, inference="none", advanced=False,
                                  allow_warnings=True, abort_on_first=False)
    assert isinstance(report, Graph)
    found = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(result, SH.sourceShape)
        while shape is not None and not isinstance(shape, URIRef):
            shape = next(shapes.subjects(SH.property, shape), None)
        severity, path, value, message = (report.value(result, p) for p in
                                          (SH.resultSeverity, SH.resultPath, SH.value, SH.resultMessage))
        found.add(Finding(
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            focus=str(report.value(result, SH.focusNode)), shape=str(shape),
            path=str(path) if isinstance(path, URIRef) else None,
            message=str(message) if message is not None else "constraint not met",
            value=str(value) if value is not None else None, sources=()))
    return sorted(found, key=lambda f: (f.severity, f.focus, f.shape, f.path or "", f.value or ""))


def _text(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else str(term)


def _sources(store: ox.Store, focus: set[ox.NamedNode], *, cld: str,
             chunk: int = 500) -> dict[ox.NamedNode, tuple[tuple[str, str], ...]]:
    """Where each focus node came from: the attestations of a relation node, the attestation
    itself, or, for an entity, the facts it takes part in (three at most, in file order)."""
    prefixes = f"PREFIX cld: <{cld}> PREFIX prov: <{PROV}> "
    attestations: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
    nodes = sorted(focus, key=lambda n: n.value)
    for query in (
        "SELECT ?focus ?a WHERE { VALUES ?focus { %s } { ?focus prov:qualifiedDerivation ?a } "
        "UNION { ?focus a cld:Attestation BIND(?focus AS ?a) } }",
        "SELECT ?focus ?a WHERE { VALUES ?focus { %s } ?r cld:subject|cld:object ?focus . "
        "?r prov:qualifiedDerivation ?a }",
    ):
        for rows in _chunks(store, prefixes + query, [n for n in nodes if n not in attestations], chunk):
            for row in rows:
                attestations[row["focus"]].add(row["a"])  # type: ignore[index]
    evidence: dict[ox.NamedNode, tuple[str, str]] = {}
    query = prefixes + ("SELECT ?a ?file ?evidence WHERE { VALUES ?a { %s } ?a prov:entity ?source ; "
                        "cld:evidence ?evidence . ?source cld:fileName ?file }")
    wanted = sorted({a for found in attestations.values() for a in found}, key=lambda n: n.value)
    for rows in _chunks(store, query, wanted, chunk):
        for row in rows:
            evidence[row["a"]] = (row["file"].value, row["evidence"].value)  # type: ignore[index,union-attr]
    return {node: tuple(sorted(evidence[a] for a in found if a in evidence)[:3])
            for node, found in attestations.items()}


def _chunks(store: ox.Store, query: str, nodes: Sequence[ox.NamedNode],
            size: int) -> Iterable[ox.QuerySolutions]:
    for start in range(0, len(nodes), size):
        values = " ".join(str(n) for n in nodes[start:start + size])
        yield store.query(query % values)  # type: ignore[misc]


def violations(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "Violation"]

