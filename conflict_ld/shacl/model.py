"""The shapes graph read into plain objects (SHACL 1.0 §2 shapes, §2.1.3 targets, §2.3 paths,
§4 core constraint components), so the compiler never walks RDF lists or blank nodes.

Only SHACL Core is read. A shape that uses anything else (SPARQL-based constraints, sh:closed,
SHACL-AF) is refused with a ``ShapeError`` that names it, rather than silently ignored.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

# Parameters whose value is a single term (or number) and that constrain each value node.
VALUE_PARAMETERS = {
    SH["class"]: "class", SH.datatype: "datatype", SH.nodeKind: "nodeKind",
    SH.minExclusive: "minExclusive", SH.minInclusive: "minInclusive",
    SH.maxExclusive: "maxExclusive", SH.maxInclusive: "maxInclusive",
    SH.minLength: "minLength", SH.maxLength: "maxLength", SH.hasValue: "hasValue",
}
# Parameters that compare the values of the path with those of another property.
PAIR_PARAMETERS = {SH.equals: "equals", SH.disjoint: "disjoint", SH.lessThan: "lessThan",
                   SH.lessThanOrEquals: "lessThanOrEquals"}
LIST_PARAMETERS = {SH["in"]: "in", SH.languageIn: "languageIn"}
LOGICAL_PARAMETERS = {SH["and"]: "and", SH["or"]: "or", SH.xone: "xone"}
# Everything else a shape may carry that is not a constraint.
NOT_CONSTRAINTS = {
    RDF.type, SH.path, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
    SH.severity, SH.message, SH.name, SH.description, SH.order, SH.group, SH.deactivated,
    SH.flags, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint,
    SH.defaultValue, URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
    URIRef("http://www.w3.org/2000/01/rdf-schema#comment"),
}


class ShapeError(ValueError):
    """A shape this engine cannot evaluate (named by its IRI or blank node)."""


@dataclass(frozen=True)
class Path:
    """A property path (SHACL §2.3.1) as SPARQL text, and the IRI when it is a single predicate."""

    sparql: str
    predicate: URIRef | None


@dataclass(frozen=True)
class Constraint:
    """One constraint component's parameters: ``kind`` is the parameter's local name
    (``class``, ``minCount``, ``or``, ``qualifiedValueShape``...)."""

    kind: str
    value: object  # a term, an int, a tuple of terms, a Shape or a tuple of Shapes
    extra: tuple[object, ...] = ()  # pattern flags; qualified min and max counts

    @property
    def component(self) -> str:
        name = {"qualifiedValueShape": "QualifiedValueShape", "nodeKind": "NodeKind",
                "uniqueLang": "UniqueLang"}.get(self.kind, self.kind[0].upper() + self.kind[1:])
        return f"{name}ConstraintComponent"


@dataclass(frozen=True)
class Shape:
    node: URIRef | BNode
    named: str  # its IRI, or the IRI of the named shape that holds it through sh:property
    path: Path | None  # a property shape has one
    severity: str  # "Violation" | "Warning" | "Info"
    message: str | None
    targets: tuple[tuple[str, URIRef | Literal], ...]  # ("class" | "subjectsOf" | "objectsOf" | "node", term)
    constraints: tuple[Constraint, ...]
    properties: tuple[Shape, ...]

    def label(self) -> str:
        return self.named if self.node == URIRef(self.named) else f"{self.named} (nested {self.node.n3()})"


def load_shapes(graph: Graph) -> list[Shape]:
    """Every active shape with a target, in IRI order (a stable order of findings)."""
    roots: set[Node] = set()
    for target in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
        roots.update(graph.subjects(target, None))
    reader = _Reader(graph)
    shapes = [reader.shape(node, named=str(node)) for node in roots if isinstance(node, URIRef | BNode)]
    return sorted((s for s in shapes if not reader.deactivated(s.node)), key=lambda s: str(s.node))


class _Reader:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def deactivated(self, node: Node) -> bool:
        return self.graph.value(node, SH.deactivated) == Literal(True)

    def shape(self, node: Node, *, named: str) -> Shape:
        if not isinstance(node, URIRef | BNode):
            raise ShapeError(f"{node!r} is not a shape (a shape is an IRI or a blank node)")
        g = self.graph
        if isinstance(node, URIRef):
            named = str(node)
        severity = g.value(node, SH.severity)
        message = g.value(node, SH.message)
        path = g.value(node, SH.path)
        targets = tuple(sorted(
            ((kind, term) for predicate, kind in ((SH.targetClass, "class"), (SH.targetNode, "node"),
                                                  (SH.targetSubjectsOf, "subjectsOf"),
                                                  (SH.targetObjectsOf, "objectsOf"))
             for term in g.objects(node, predicate) if isinstance(term, URIRef | Literal)),
            key=lambda t: (t[0], str(t[1])),
        ))
        properties = tuple(self.shape(p, named=named) for p in sorted(g.objects(node, SH.property), key=str)
                           if not self.deactivated(p))
        return Shape(
            node=node, named=named, path=self.path(path) if path is not None else None,
            severity=str(severity).removeprefix(str(SH)) if severity is not None else "Violation",
            message=str(message) if message is not None else None,
            targets=targets, constraints=tuple(self.constraints(node, named=named)), properties=properties,
        )

    def constraints(self, node: Node, *, named: str) -> Iterator[Constraint]:
        g = self.graph
        for predicate in sorted(set(g.predicates(node, None)), key=str):
            values = sorted(g.objects(node, predicate), key=str)
            if predicate in NOT_CONSTRAINTS or predicate == SH.property:
                continue
            for value in values:
                yield self.constraint(node, predicate, value, named=named)

    def constraint(self, node: Node, predicate: Node, value: Node, *, named: str) -> Constraint:
        g = self.graph
        if predicate in VALUE_PARAMETERS:
            return Constraint(VALUE_PARAMETERS[predicate], value)
        if predicate in (SH.minCount, SH.maxCount):
            return Constraint(str(predicate).removeprefix(str(SH)), int(value))  # type: ignore[arg-type]
        if predicate == SH.pattern:
            flags = g.value(node, SH.flags)
            return Constraint("pattern", str(value), (str(flags) if flags is not None else "",))
        if predicate in PAIR_PARAMETERS:
            return Constraint(PAIR_PARAMETERS[predicate], value)
        if predicate in LIST_PARAMETERS:
            return Constraint(LIST_PARAMETERS[predicate], tuple(Collection(g, value)))
        if predicate == SH.uniqueLang:
            return Constraint("uniqueLang", value == Literal(True))
        if predicate in LOGICAL_PARAMETERS:
            members = tuple(self.shape(m, named=named) for m in Collection(g, value))
            return Constraint(LOGICAL_PARAMETERS[predicate], members)
        if predicate in (SH["not"], SH.node):
            return Constraint(str(predicate).removeprefix(str(SH)), self.shape(value, named=named))
        if predicate == SH.qualifiedValueShape:
            low, high = g.value(node, SH.qualifiedMinCount), g.value(node, SH.qualifiedMaxCount)
            return Constraint("qualifiedValueShape", self.shape(value, named=named),
                              (int(low) if low is not None else None,  # type: ignore[arg-type]
                               int(high) if high is not None else None))  # type: ignore[arg-type]
        raise ShapeError(f"shape {node.n3()} ({named}) uses {predicate}, which this engine does not "
                         "evaluate (SHACL Core only, without sh:closed)")

    def path(self, node: Node) -> Path:
        return Path(self._path(node), node if isinstance(node, URIRef) else None)

    def _path(self, node: Node) -> str:
        g = self.graph
        if isinstance(node, URIRef):
            return f"<{node}>"
        if g.value(node, RDF.first) is not None:
            return "(" + "/".join(self._path(step) for step in Collection(g, node)) + ")"
        for predicate, operator in ((SH.inversePath, "^"),):
            inner = g.value(node, predicate)
            if inner is not None:
                return f"{operator}({self._path(inner)})"
        alternatives = g.value(node, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self._path(step) for step in Collection(g, alternatives)) + ")"
        for predicate, operator in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"),
                                    (SH.zeroOrOnePath, "?")):
            inner = g.value(node, predicate)
            if inner is not None:
                return f"({self._path(inner)}){operator}"
        raise ShapeError(f"{node.n3()} is not a SHACL property path")
