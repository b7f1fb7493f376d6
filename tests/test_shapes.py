"""SHACL shapes (shapes/shapes.ttl): every shape has a conforming and a violating example, the
seed build conforms, mutations of the real build are caught by the right shape, and a second,
independent validator (rdf-validate-shacl, tests/js/) gives the same verdicts as pyshacl.

Decisions the tests rely on:

* Both validators get ONE data graph: the data merged with the ontology (ontology/conflict.ttl),
  as ``conflict_ld.validate`` does for a build. pyshacl runs with ``inference="none"``,
  ``advanced=False``, ``allow_warnings=True``; "conforms" means "no sh:Violation" on both sides.
* Examples: ``tests/shapes/<Shape>.ok.ttl`` and ``<Shape>.bad.ttl`` per shape, each loaded with
  ``tests/shapes/_context.ttl`` (sources, attestations and one entity of every class). A
  ``.bad`` file lists, in ``# focus: IRI`` comment lines, the nodes that shape must report.
* Shapes are compared by IRI. Every top-level shape has one; a result from a nested blank
  property shape is credited to the named shape that holds it (sh:property), on both sides.
  Results are compared as sets of (focus node, shape, severity) for named focus nodes (a
  literal or blank focus node has no name both tools print alike).
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import json
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SH

from conflict_ld.serialize import from_ox, to_triples
from conflict_ld.shacl.engine import compile_shapes, evaluate
from conflict_ld.shacl.model import load_shapes
from conflict_ld.validate import validation_store
from tests.conftest import ROOT

SHAPES_FILE = ROOT / "shapes" / "shapes.ttl"
ONTOLOGY_FILE = ROOT / "ontology" / "conflict.ttl"
EXAMPLES = ROOT / "tests" / "shapes"
CONTEXT_FILE = EXAMPLES / "_context.ttl"
JS = ROOT / "tests" / "js"
CLD = Namespace("https://w3id.org/conflict-ld/ontology#")
CLDSH = Namespace("https://w3id.org/conflict-ld/shapes#")
PROV = Namespace("http://www.w3.org/ns/prov#")
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
# Everything SHACL Core does not have: SPARQL-based constraints and targets, SHACL-AF.
NOT_CORE = {SH.sparql, SH.select, SH.ask, SH.SPARQLConstraint, SH.SPARQLTarget, SH.target, SH.rule,
            SH.condition, SH.expression, SH.shapesGraph, SH.jsFunctionName, SH.entailment}
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
WARNINGS = {"SingleSourceShape", "UndatedShape", "SelfRelationShape"}


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


@functools.cache
def shapes_graph() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


@functools.cache
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


def top_shapes(shapes: Graph) -> set[URIRef | BNode]:
    """Shapes that stand on their own: declared node/property shapes, or anything with a target."""
    found: set[URIRef | BNode] = set()
    for kind in (SH.NodeShape, SH.PropertyShape):
        found.update(s for s in shapes.subjects(RDF.type, kind) if isinstance(s, URIRef | BNode))
    for target in TARGETS:
        found.update(s for s in shapes.subjects(target, None) if isinstance(s, URIRef | BNode))
    return found


SHAPE_NAMES = sorted(
    str(s).removeprefix(str(CLDSH)) for s in top_shapes(shapes_graph()) if isinstance(s, URIRef)
)


def named_shape(shapes: Graph, shape: object) -> str:
    """A shape's IRI, or for a nested blank property shape the IRI of the shape that holds it."""
    node, seen = shape, set()
    while isinstance(node, BNode) and node not in seen:
        seen.add(node)
        node = next(shapes.subjects(SH.property, node), None)
    return str(node) if isinstance(node, URIRef) else f"_:{shape}"


@dataclass(frozen=True)
class Result:
    focus: str
    shape: str  # named shape (see named_shape)
    severity: str  # "Violation" | "Warning" | "Info"
    path: str | None
    component: str
    value: str | None


@dataclass(frozen=True)
class Report:
    conforms: bool  # no sh:Violation
    results: frozenset[Result]

    def named(self) -> set[tuple[str, str, str]]:
        """(focus, shape, severity) for named focus nodes: what both validators must agree on."""
        return {(r.focus, r.shape, r.severity) for r in self.results if r.focus.startswith("http")}

    def by(self, shape: str) -> set[Result]:
        return {r for r in self.results if r.shape == str(CLDSH[shape])}


def with_ontology(*graphs: Graph) -> Graph:
    merged = Graph()
    for graph in (ontology(), *graphs):
        for triple in graph:
            merged.add(triple)
    return merged


def run_pyshacl(data: Graph) -> Report:
    """pyshacl on data + ontology, as the build validates a release."""
    shapes = shapes_graph()
    conforms, report, _ = pyshacl.validate(with_ontology(data), shacl_graph=shapes, inference="none",
                                           advanced=False, allow_warnings=True)
    assert isinstance(report, Graph)
    results = set()
    for node in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(node, SH.focusNode)
        path = report.value(node, SH.resultPath)
        value = report.value(node, SH.value)
        results.add(Result(
            focus=str(focus) if isinstance(focus, URIRef) else (focus.n3() if focus is not None else ""),
            shape=named_shape(shapes, report.value(node, SH.sourceShape)),
            severity=str(report.value(node, SH.resultSeverity)).removeprefix(str(SH)),
            path=str(path) if isinstance(path, URIRef) else None,
            component=str(report.value(node, SH.sourceConstraintComponent)).removeprefix(str(SH)),
            value=str(value) if value is not None else None,
        ))
    assert conforms == (not any(r.severity == "Violation" for r in results))
    return Report(conforms=bool(conforms), results=frozenset(results))


def run_oxigraph(data: Graph) -> Report:
    """Our engine (the shapes compiled to SPARQL, in Oxigraph) on data + ontology."""
    store = validation_store(to_triples(with_ontology(data)))
    results = frozenset(
        Result(focus=r.focus.value if isinstance(r.focus, ox.NamedNode) else _n3(r.focus), shape=r.shape,
               severity=r.severity, path=r.path, component=r.component,
               value=r.value.value if isinstance(r.value, ox.NamedNode | ox.Literal) else
               (str(r.value) if r.value is not None else None))
        for r in evaluate(store, compile_shapes(load_shapes(shapes_graph())))
    )
    return Report(conforms=not any(r.severity == "Violation" for r in results), results=results)


def _n3(term: object) -> str:
    return from_ox(term).n3()  # type: ignore[arg-type]


ENGINES = {"pyshacl": run_pyshacl, "oxigraph": run_oxigraph}


def comparable(report: Report) -> set[tuple[str, str, str, str, str, str]]:
    """Everything both engines must report alike: blank value nodes have no shared names."""
    def value(r: Result) -> str:
        blank = r.focus.startswith("_:") or (r.value or "").startswith("_:")
        return "" if r.value is None or blank else r.value

    return {(r.focus, r.shape, r.severity, r.path or "", r.component, value(r)) for r in report.results}


def example_files(shape: str, kind: str) -> tuple[Path, ...]:
    path = EXAMPLES / f"{shape}.{kind}.ttl"
    assert path.is_file(), f"shape cldsh:{shape} has no {kind} example: write {path.relative_to(ROOT)}"
    return (CONTEXT_FILE, path)


@functools.cache
def validate_files(files: tuple[Path, ...], engine: str = "pyshacl") -> Report:
    data = Graph()
    for file in files:
        data.parse(file, format="turtle")
    return ENGINES[engine](data)


def expected_focus(path: Path) -> list[str]:
    return [line.split(":", 1)[1].strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.startswith("# focus:")]


def severity_of(shape: str) -> str:
    value = shapes_graph().value(CLDSH[shape], SH.severity)
    return str(value).removeprefix(str(SH)) if value is not None else "Violation"


def union_file(out: Path) -> Path:
    """union.nt(.gz) of a build folder: in its latest release, or in the folder itself."""
    for folder in (out / "latest", out):
        for name in ("union.nt.gz", "union.nt"):
            if (folder / name).is_file():
                return folder / name
    raise AssertionError(f"no union.nt in {out}")


def read_nt(path: Path) -> Graph:
    data = path.read_bytes()
    return Graph().parse(data=gzip.decompress(data) if path.suffix == ".gz" else data, format="nt")


# ---------------------------------------------------------------------------
# The shapes file itself
# ---------------------------------------------------------------------------


def test_shapes_are_shacl_core_with_named_top_level_shapes() -> None:
    shapes = shapes_graph()
    used = set(shapes.predicates()) | set(shapes.objects(None, RDF.type))
    assert not used & NOT_CORE, f"not SHACL Core: {sorted(used & NOT_CORE)}"
    blank = [s for s in top_shapes(shapes) if not isinstance(s, URIRef)]
    assert not blank, "every top-level shape needs an IRI (results are compared by shape IRI)"
    orphans = [s for s in shapes.subjects(SH.path, None)
               if isinstance(s, BNode) and not any(shapes.subjects(None, s))]
    assert not orphans, "a blank property shape that no named shape holds"
    assert all(str(s).startswith(str(CLDSH)) for s in top_shapes(shapes))
    assert len(SHAPE_NAMES) >= 50


@pytest.mark.parametrize("shape", SHAPE_NAMES)
def test_shape_is_labelled_with_a_message(shape: str) -> None:
    shapes = shapes_graph()
    node = CLDSH[shape]
    assert shapes.value(node, RDFS.label) is not None or shapes.value(node, SH.name) is not None
    assert shapes.value(node, SH.message) is not None
    for prop in shapes.objects(node, SH.property):
        assert shapes.value(prop, SH.name) is not None, f"a property shape of {shape} has no sh:name"
        assert shapes.value(prop, SH.message) is not None, f"a property shape of {shape} has no sh:message"
        # A nested shape does not inherit its parent's severity: they must agree.
        assert shapes.value(prop, SH.severity) == shapes.value(node, SH.severity)


def test_severities() -> None:
    warnings = {name for name in SHAPE_NAMES if severity_of(name) == "Warning"}
    assert warnings == WARNINGS
    assert {severity_of(name) for name in SHAPE_NAMES} == {"Violation", "Warning"}


def test_every_entity_and_relation_class_has_a_shape() -> None:
    onto, shapes = ontology(), shapes_graph()
    relations = set(onto.transitive_subjects(RDFS.subClassOf, CLD.Relation)) - {CLD.Relation, CLD.Event}
    entities = {CLD[n] for n in ("ArmedGroup", "Coalition", "PoliticalOrganization", "State",
                                 "GovernmentBody", "Person", "Place", "Conflict", "War", "Campaign",
                                 "Battle", "Ideology")}
    assert len(relations) == 29
    for cls in relations | entities:
        shape = CLDSH[f"{str(cls).removeprefix(str(CLD))}Shape"]
        assert (shape, SH.targetClass, cls) in shapes, f"no shape targets {cls}"
    # The shared relation shapes list every relation class, not only cld:Relation.
    for name in ("RelationShape", "ProvenanceShape", "SingleSourceShape"):
        assert relations <= set(shapes.objects(CLDSH[name], SH.targetClass)), name


def test_every_example_file_belongs_to_a_shape() -> None:
    names = {p.name for p in EXAMPLES.glob("*.ttl")} - {CONTEXT_FILE.name}
    expected = {f"{shape}.{kind}.ttl" for shape in SHAPE_NAMES for kind in ("ok", "bad")}
    assert names - expected == set(), "example files for shapes that do not exist"


# ---------------------------------------------------------------------------
# Examples: a conforming and a violating one per shape
# ---------------------------------------------------------------------------


def test_context_conforms() -> None:
    report = validate_files((CONTEXT_FILE,))
    assert report.results == frozenset()


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("shape", SHAPE_NAMES)
def test_conforming_example(shape: str, engine: str) -> None:
    report = validate_files(example_files(shape, "ok"), engine)
    assert report.by(shape) == set(), f"cldsh:{shape} reports its conforming example"
    violations = sorted((r.focus, r.shape, r.path) for r in report.results if r.severity == "Violation")
    assert report.conforms and not violations, violations


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("shape", SHAPE_NAMES)
def test_violating_example(shape: str, engine: str) -> None:
    files = example_files(shape, "bad")
    focus = expected_focus(files[-1])
    assert focus, f"{files[-1].name} names no '# focus:' node"
    reported = validate_files(files, engine).by(shape)
    missed = set(focus) - {r.focus for r in reported}
    assert not missed, f"cldsh:{shape} does not report {sorted(missed)}"
    assert {r.severity for r in reported} == {severity_of(shape)}


@pytest.mark.parametrize("kind", ["ok", "bad"])
@pytest.mark.parametrize("shape", SHAPE_NAMES)
def test_engines_agree_on_example(shape: str, kind: str) -> None:
    """The compiled engine reports exactly what pySHACL reports: focus, shape, severity, path,
    constraint component and value, result for result."""
    files = example_files(shape, kind)
    ours, reference = validate_files(files, "oxigraph"), validate_files(files, "pyshacl")
    assert comparable(ours) == comparable(reference), sorted(comparable(ours) ^ comparable(reference))


# ---------------------------------------------------------------------------
# The real seed build
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_union(default_build: Path) -> Graph:
    """The union graph of the seed build (asserted + inferred triples + ontology)."""
    return read_nt(union_file(default_build))


@pytest.fixture(scope="module")
def seed_report(seed_union: Graph) -> Report:
    return run_pyshacl(seed_union)


def test_engines_agree_on_the_seed_build(seed_union: Graph, seed_report: Report) -> None:
    assert comparable(run_oxigraph(seed_union)) == comparable(seed_report)


def test_seed_build_conforms(seed_report: Report) -> None:
    violations = sorted((r.focus, r.shape, r.path) for r in seed_report.results if r.severity == "Violation")
    assert seed_report.conforms and not violations, violations[:10]
    # What is reported is a warning, and both standard warnings occur in the seeds.
    assert {r.shape.removeprefix(str(CLDSH)) for r in seed_report.results} <= WARNINGS
    assert {"SingleSourceShape", "UndatedShape"} <= {r.shape.removeprefix(str(CLDSH))
                                                     for r in seed_report.results}


@dataclass(frozen=True)
class Mutation:
    focus: URIRef
    shape: str
    path: URIRef
    component: str | None = None


def _pick(candidates: Iterable[object], used: set[URIRef]) -> URIRef:
    """The first candidate (in IRI order) that no other mutation touches."""
    node = min(n for n in candidates if isinstance(n, URIRef) and n not in used)
    used.add(node)
    return node


@pytest.fixture(scope="module")
def mutated_graph(seed_union: Graph) -> tuple[dict[str, Mutation], Graph]:
    """Six mutations of the real seed build, each on its own node, validated together (one run
    of each engine instead of six)."""
    g = Graph()
    for triple in seed_union:
        g.add(triple)
    used: set[URIRef] = set()
    expected: dict[str, Mutation] = {}

    node = _pick(g.subjects(CLD.startDate, None), used)
    value = g.value(node, CLD.startDate)
    g.set((node, CLD.startDate, Literal(str(value))))  # "2013" instead of "2013"^^xsd:gYear
    expected["date without datatype"] = Mutation(node, "DatesShape", CLD.startDate)

    node = _pick((n for n in g.subjects(CLD.earliestStart, None) if g.value(n, CLD.latestEnd)), used)
    start = g.value(node, CLD.earliestStart).toPython()  # type: ignore[union-attr]
    assert isinstance(start, dt.date)
    g.set((node, CLD.latestEnd, Literal(start - dt.timedelta(days=1), datatype=XSD_DATE)))
    expected["end before start"] = Mutation(node, "BoundsShape", CLD.earliestStart,
                                            "LessThanOrEqualsConstraintComponent")

    node = _pick(g.subjects(RDF.type, CLD.Leadership), used)
    place = next(p for p in sorted(g.subjects(RDF.type, CLD.Place)) if (p, RDF.type, CLD.Person) not in g)
    g.set((node, CLD.object, place))
    expected["leader is a place"] = Mutation(node, "LeadershipShape", CLD.object)

    node = _pick(g.subjects(PROV.wasDerivedFrom, None), used)
    g.remove((node, PROV.wasDerivedFrom, None))
    expected["no source"] = Mutation(node, "ProvenanceShape", PROV.wasDerivedFrom)

    node = _pick(g.subjects(CLD.subject, None), used)
    g.set((node, CLD.subject, Literal("x")))
    expected["literal subject"] = Mutation(node, "RelationShape", CLD.subject)

    entity = _pick(g.subjects(RDF.type, CLD.ArmedGroup), used)
    for label in list(g.objects(entity, RDFS.label)):
        if isinstance(label, Literal) and label.language == "en":
            g.remove((entity, RDFS.label, label))
    expected["no English label"] = Mutation(entity, "EntityShape", RDFS.label)
    return expected, g


@pytest.fixture(scope="module", params=list(ENGINES))
def mutated(request: pytest.FixtureRequest,
            mutated_graph: tuple[dict[str, Mutation], Graph]) -> tuple[dict[str, Mutation], Report]:
    expected, graph = mutated_graph
    return expected, _reports(graph)[request.param]


@functools.cache
def _reports(graph: Graph) -> dict[str, Report]:
    return {name: run(graph) for name, run in ENGINES.items()}


def test_engines_agree_on_the_mutated_build(mutated_graph: tuple[dict[str, Mutation], Graph]) -> None:
    reports = _reports(mutated_graph[1])
    assert comparable(reports["oxigraph"]) == comparable(reports["pyshacl"])


MUTATIONS = ["date without datatype", "end before start", "leader is a place", "no source", "literal subject",
             "no English label"]


@pytest.mark.parametrize("name", MUTATIONS)
def test_mutation_of_the_seed_build_is_caught(mutated: tuple[dict[str, Mutation], Report], name: str) -> None:
    expected, report = mutated
    want = expected[name]
    hits = [r for r in report.results if r.focus == str(want.focus) and r.shape == str(CLDSH[want.shape])
            and r.path == str(want.path) and r.severity == "Violation"]
    assert hits, f"{name}: cldsh:{want.shape} did not report {want.focus} on {want.path}"
    if want.component:
        assert want.component in {r.component for r in hits}


def test_mutations_break_nothing_else(mutated: tuple[dict[str, Mutation], Report]) -> None:
    expected, report = mutated
    mutated_nodes = {str(m.focus) for m in expected.values()} | {Literal("x").n3()}
    stray = {(r.focus, r.shape) for r in report.results
             if r.severity == "Violation" and r.focus not in mutated_nodes}
    assert not stray


# ---------------------------------------------------------------------------
# The second validator: rdf-validate-shacl (npm) must agree with pyshacl
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def node_validator() -> list[str]:
    """The command that runs tests/js/validate.mjs; installs its locked dependencies if needed."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node and npm are not installed: cannot run the second SHACL validator "
                    "(rdf-validate-shacl, tests/js)")
    if not (JS / "node_modules" / "rdf-validate-shacl" / "package.json").is_file():
        subprocess.run([npm, "ci", "--prefix", str(JS), "--no-audit", "--no-fund"], check=True,
                       capture_output=True, timeout=600)
    return [node, str(JS / "validate.mjs")]


def js_report(payload: dict[str, object]) -> Report:
    results = {Result(focus=r["focusNode"], shape=r["sourceShape"], severity=r["severity"], path=r["path"],
                      component="", value=None) for r in payload["results"]}  # type: ignore[attr-defined]
    return Report(conforms=bool(payload["conforms"]), results=frozenset(results))


def run_js(command: list[str], cases: dict[str, list[Path]], folder: Path,
           workers: int = 2) -> dict[str, Report]:
    """Validate every case (a list of data files, the ontology added) with validate.mjs --batch,
    in ``workers`` node processes at once."""
    names = sorted(cases)
    running = []
    for worker in range(workers):
        batch = folder / f"cases-{worker}.json"
        mine = names[worker::workers]
        batch.write_text(json.dumps({
            "shapes": str(SHAPES_FILE),
            "cases": {name: [str(f) for f in (*cases[name], ONTOLOGY_FILE)] for name in mine},
        }))
        running.append(subprocess.Popen([*command, "--batch", str(batch)], stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True))
    reports: dict[str, Report] = {}
    for process in running:
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, err
        reports.update({name: js_report(payload) for name, payload in json.loads(out).items()})
    return reports


def test_second_validator_agrees_on_the_seed_build(node_validator: list[str], default_build: Path,
                                                   seed_report: Report) -> None:
    command = [*node_validator, str(SHAPES_FILE), str(union_file(default_build)), str(ONTOLOGY_FILE)]
    out = subprocess.run(command, check=True, capture_output=True, text=True, timeout=300)
    theirs = js_report(json.loads(out.stdout))
    assert theirs.conforms == seed_report.conforms is True
    assert theirs.named() == seed_report.named()


def test_second_validator_agrees_on_every_example(node_validator: list[str], tmp_path: Path) -> None:
    cases = {"context": [CONTEXT_FILE]}
    for shape in SHAPE_NAMES:
        for kind in ("bad", "ok"):
            cases[f"{shape}.{kind}"] = list(example_files(shape, kind))
    theirs = run_js(node_validator, cases, tmp_path)
    disagreements = []
    for name, files in cases.items():
        ours = validate_files(tuple(files))
        if (ours.conforms, ours.named()) != (theirs[name].conforms, theirs[name].named()):
            disagreements.append((name, ours.conforms, theirs[name].conforms,
                                  sorted(ours.named() ^ theirs[name].named())))
    assert not disagreements
