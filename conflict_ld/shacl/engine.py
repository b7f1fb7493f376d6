"""Run compiled shapes against an Oxigraph store: the validation results of SHACL §3.6, one
per focus node, shape, constraint component and value node."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from .compile import Check, checks
from .model import Shape

Term = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass(frozen=True)
class Result:
    severity: str  # "Violation" | "Warning" | "Info"
    focus: Term
    shape: str  # the named shape (a nested property shape is credited to the shape holding it)
    path: str | None  # the predicate, when the result's shape has a single-predicate path
    component: str
    message: str
    value: Term | None


def compile_shapes(shapes: Sequence[Shape]) -> list[Check]:
    return [check for shape in shapes for check in checks(shape)]


def evaluate(store: ox.Store, compiled: Sequence[Check], *, union: bool = False) -> list[Result]:
    """Every result of the compiled checks on the store's default graph (or, with ``union``,
    on the union of its named graphs)."""
    results = []
    for check in compiled:
        shape = check.shape
        path = str(shape.path.predicate) if shape.path and shape.path.predicate else None
        message = shape.message or f"{check.component.removesuffix('ConstraintComponent')} constraint not met"
        solutions = store.query(check.query, use_default_graph_as_union=union)
        assert isinstance(solutions, ox.QuerySolutions)
        variables = {v.value for v in solutions.variables}
        for row in solutions:
            if check.low is not None or check.high is not None:
                count = int(row["n"].value)  # type: ignore[union-attr]
                if not ((check.low is not None and count < check.low)
                        or (check.high is not None and count > check.high)):
                    continue
            focus = row["this"]
            assert focus is not None
            value = row["value"] if "value" in variables else None
            results.append(Result(severity=shape.severity, focus=focus, shape=shape.named, path=path,
                                  component=check.component, message=message, value=value))
    return results
