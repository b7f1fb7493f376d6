"""The validation gate: SHACL shapes (``shapes/shapes.ttl``) over the data and the ontology.

A violation blocks a release; a warning is reported and published. Every finding names the
focus node, the shape, the message, and where the offending fact came from (source file and
evidence text), so the person who reads it can fix the article or the tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SH

PROV = Namespace("http://www.w3.org/ns/prov#")


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


def validate(data: Graph, *, shapes: Graph, ontology: Graph, cld: str) -> list[Finding]:
    """SHACL Core over data + ontology (the ontology's rdfs:subClassOf makes a Leadership a
    Relation for targets and sh:class)."""
    graph = Graph()
    for triple in data:
        graph.add(triple)
    for triple in ontology:
        graph.add(triple)
    _, report, _ = shacl_validate(
        graph, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True,
        abort_on_first=False,
    )
    assert isinstance(report, Graph)
    found = _findings(report, graph, shapes, Namespace(cld))
    return sorted(found, key=lambda f: (f.severity, f.focus, f.shape))


def _findings(report: Graph, data: Graph, shapes: Graph, cld: Namespace) -> Iterable[Finding]:
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        shape = report.value(result, SH.sourceShape)
        severity = report.value(result, SH.resultSeverity)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        message = report.value(result, SH.resultMessage)
        yield Finding(
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            focus=str(focus),
            shape=str(shape) if isinstance(shape, URIRef) else _parent_shape(shapes, shape),
            path=str(path) if path is not None else None,
            message=str(message) if message is not None else "constraint not met",
            value=str(value) if value is not None else None,
            sources=_sources(data, focus, cld),
        )


def _parent_shape(shapes: Graph, shape: object) -> str:
    """A blank property shape is named by the node shape that holds it."""
    for parent in shapes.subjects(SH.property, shape):  # type: ignore[arg-type]
        if isinstance(parent, URIRef):
            return str(parent)
    return str(shape)


def _sources(data: Graph, focus: object, cld: Namespace) -> tuple[tuple[str, str], ...]:
    """Where a focus node came from: the attestations of a relation node, the attestation
    itself, or, for an entity, the facts it takes part in."""
    if not isinstance(focus, URIRef):
        return ()
    attestations = set(data.objects(focus, PROV.qualifiedDerivation))
    if (focus, RDF.type, cld.Attestation) in data:
        attestations.add(focus)
    if not attestations:
        for relation in list(data.subjects(cld.subject, focus)) + list(data.subjects(cld.object, focus)):
            attestations.update(data.objects(relation, PROV.qualifiedDerivation))
    found = []
    for attestation in attestations:
        source = data.value(attestation, PROV.entity)
        file_name = data.value(source, cld.fileName) if source is not None else None
        evidence = data.value(attestation, cld.evidence)
        if isinstance(file_name, Literal) and isinstance(evidence, Literal):
            found.append((str(file_name), str(evidence)))
    return tuple(sorted(found)[:3])


def violations(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "Violation"]
