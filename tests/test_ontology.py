"""Checks of the OWL ontology in ontology/conflict.ttl.

The term lists below are the public contract of the vocabulary: the mapping code and
the published data use these local names, so a renamed or missing term must fail here.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import owlrl
import pytest
from owlrl.Namespaces import ERRNS
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, TIME

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_FILE = ROOT / "ontology" / "conflict.ttl"
PREFIXES_FILE = ROOT / "ontology" / "prefixes.toml"

with PREFIXES_FILE.open("rb") as _fh:
    PREFIXES_TOML = tomllib.load(_fh)

CLD = Namespace(PREFIXES_TOML["prefixes"]["cld"])
ONTOLOGY_IRI = URIRef(PREFIXES_TOML["ontology"]["iri"])
VERSION = PREFIXES_TOML["ontology"]["version"]
VERSION_IRI = URIRef(f"{ONTOLOGY_IRI}/{VERSION}")
LICENSE = URIRef("https://creativecommons.org/licenses/by-sa/4.0/")

# rdflib.namespace.XSD warns on unknown attribute look-ups (pytest probes module globals)
XSD = Namespace(PREFIXES_TOML["prefixes"]["xsd"])
DCT = Namespace(PREFIXES_TOML["prefixes"]["dct"])
PROV = Namespace(PREFIXES_TOML["prefixes"]["prov"])
ORG = Namespace(PREFIXES_TOML["prefixes"]["org"])
SEM = Namespace(PREFIXES_TOML["prefixes"]["sem"])
SCHEMA = Namespace(PREFIXES_TOML["prefixes"]["schema"])
FOAF = Namespace(PREFIXES_TOML["prefixes"]["foaf"])
WD = Namespace(PREFIXES_TOML["prefixes"]["wd"])

# --- the term list (public contract) -------------------------------------------------

ENTITY_CLASSES = [
    "Organization", "ArmedGroup", "Coalition", "PoliticalOrganization", "State",
    "GovernmentBody", "Person", "Place", "Conflict", "War", "Campaign", "Battle",
    "Ideology", "Source", "Reference",
]
EVENT_CLASSES = [
    "Absorption", "Merger", "Split", "Defection", "Founding", "Renaming", "Dissolution",
    "Clash", "Capture", "Massacre", "Ceasefire", "Surrender", "Relocation", "Release",
    "Accusation",
]
RELATION_CLASSES = [
    "Relation", "Alliance", "Opposition", "Allegiance", "Leadership", "Membership",
    "Participation", "Headquarters", "OperatingArea", "IdeologyAttribution",
    "ActivePeriod", "Strength", "Support", "Designation", "Succession", "Event",
    *EVENT_CLASSES,
]
OTHER_CLASSES = ["Attestation", "Status"]
ALL_CLASSES = ENTITY_CLASSES + RELATION_CLASSES + OTHER_CLASSES

STATUS_INDIVIDUALS = [
    "Asserted", "Formal", "DeFacto", "DeJure", "Denied", "Disputed", "Reported",
    "Alleged", "Claimed", "Estimated", "Sometimes", "Temporary", "Former",
]

# shortcut property -> relation class whose nodes produce it
SHORTCUTS = {
    "allyOf": "Alliance",
    "opponentOf": "Opposition",
    "allegianceTo": "Allegiance",
    "ledBy": "Leadership",
    "memberOf": "Membership",
    "participatedIn": "Participation",
    "headquarters": "Headquarters",
    "operatingArea": "OperatingArea",
    "ideology": "IdeologyAttribution",
    "supportedBy": "Support",
    "designatedBy": "Designation",
    "absorbedInto": "Absorption",
    "mergedInto": "Merger",
    "splitFrom": "Split",
    "defectedTo": "Defection",
    "foundedBy": "Founding",
    "predecessor": "Succession",
    "clashedWith": "Clash",
    "captured": "Capture",
    "ceasefireWith": "Ceasefire",
    "surrenderedTo": "Surrender",
    "relocatedTo": "Relocation",
    "releasedFrom": "Release",
    "accusedBy": "Accusation",
}
SYMMETRIC = ["allyOf", "opponentOf", "clashedWith"]

OBJECT_PROPERTIES = [
    "subject", "object", "status", "disputedBy", "cites", "about", "place", "successor",
    *SHORTCUTS,
]
DATATYPE_PROPERTIES = [
    "date", "startDate", "endDate", "earliestStart", "latestStart", "earliestEnd",
    "latestEnd", "ongoing", "quantity", "minQuantity", "maxQuantity", "qualifier", "role",
    "formerName", "newName", "evidence", "section", "line", "field", "fileName", "sha256",
    "rendering", "referenceNumber",
]
ANNOTATION_PROPERTIES = ["shortcutFor"]

# term -> Wikidata property it is a skos:closeMatch of (numbers and labels verified)
WIKIDATA_MATCHES = {
    "ideology": "P1142",  # political ideology
    "headquarters": "P159",  # headquarters location
    "allegianceTo": "P945",  # allegiance
    "memberOf": "P463",  # member of
    "ledBy": "P488",  # chairperson
    "participatedIn": "P607",  # conflict
    "Strength": "P2124",  # member count
    "designatedBy": "P3461",  # designated as terrorist by
    "startDate": "P580",  # start time
    "endDate": "P582",  # end time
    "date": "P585",  # point in time
    "disputedBy": "P1310",  # statement disputed by
    "foundedBy": "P112",  # founded by
    "predecessor": "P1365",  # replaces
    "successor": "P1366",  # replaced by
    "splitFrom": "P807",  # separated from
    "operatingArea": "P2541",  # operating area
    "quantity": "P1114",  # quantity
}

# Every external IRI the ontology may mention; each was checked against the
# vocabulary's source (see the alignment comment block in conflict.ttl).
VERIFIED_EXTERNAL = {
    ORG.Organization, ORG.OrganizationalCollaboration, ORG.Membership, ORG.memberOf,
    PROV.Agent, PROV.Entity, PROV.Derivation,
    SEM.Event, SEM.Place, SEM.hasPlace, SEM.hasTimeStamp, SEM.hasBeginTimeStamp,
    SEM.hasEndTimeStamp, SEM.hasEarliestBeginTimeStamp, SEM.hasLatestBeginTimeStamp,
    SEM.hasEarliestEndTimeStamp, SEM.hasLatestEndTimeStamp,
    SCHEMA.Organization, SCHEMA.Person, SCHEMA.Place, SCHEMA.Event, SCHEMA.Article,
    SCHEMA.CreativeWork, SCHEMA.about, SCHEMA.founder, SCHEMA.memberOf, SCHEMA.location,
    SKOS.Concept, SKOS.ConceptScheme, SKOS.inScheme, SKOS.hasTopConcept,
    SKOS.topConceptOf, SKOS.prefLabel, SKOS.closeMatch,
    FOAF.Person,
    TIME.inXSDgYear, TIME.inXSDgYearMonth, TIME.inXSDDate, TIME.hasBeginning, TIME.hasEnd,
    DCT.title, DCT.description, DCT.license,
    ONTOLOGY_IRI, VERSION_IRI, LICENSE,
    *(WD[pid] for pid in WIKIDATA_MATCHES.values()),
}
BUILTIN_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(XSD))

DECLARATION_TYPES = {
    OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
    OWL.NamedIndividual, SKOS.ConceptScheme,
}


def load_ontology() -> Graph:
    graph = Graph(bind_namespaces="none")
    graph.parse(ONTOLOGY_FILE, format="turtle")
    return graph


ONTOLOGY = load_ontology()
CLD_TERMS = sorted(
    {s for s in ONTOLOGY.subjects() if isinstance(s, URIRef) and s.startswith(str(CLD))}
)


def owl_rl_closure(graph: Graph) -> Graph:
    closure = Graph()
    for triple in graph:
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    return closure


def inconsistencies(closure: Graph) -> list[str]:
    """Clashes found by owlrl: it records them as err:ErrorMessage nodes carrying an
    err:error text (owlrl.Closure.Core.closure); members of owl:Nothing are clashes too."""
    found = [str(message) for message in closure.objects(None, ERRNS.error)]
    found += [f"{x} is a member of owl:Nothing" for x in closure.subjects(RDF.type, OWL.Nothing)]
    return found


def superclasses(graph: Graph, cls: URIRef) -> set[URIRef]:
    return set(graph.transitive_objects(cls, RDFS.subClassOf))


def is_relation_class(graph: Graph, cls: URIRef) -> bool:
    return CLD.Relation in superclasses(graph, cls)


@pytest.fixture(scope="module")
def graph() -> Graph:
    return ONTOLOGY


@pytest.fixture(scope="module")
def closure(graph: Graph) -> Graph:
    return owl_rl_closure(graph)


# --- header and namespace --------------------------------------------------------------


def test_parses(graph: Graph) -> None:
    assert len(graph) > 0
    assert CLD_TERMS, "no cld: term in the ontology"


def test_one_ontology_with_version_and_license(graph: Graph) -> None:
    ontologies = list(graph.subjects(RDF.type, OWL.Ontology))
    assert ontologies == [ONTOLOGY_IRI]
    assert list(graph.objects(ONTOLOGY_IRI, OWL.versionIRI)) == [VERSION_IRI]
    assert list(graph.objects(ONTOLOGY_IRI, OWL.versionInfo)) == [Literal(VERSION)]
    assert list(graph.objects(ONTOLOGY_IRI, DCT.license)) == [LICENSE]
    for predicate in (DCT.title, DCT.description, RDFS.label, RDFS.comment):
        assert graph.value(ONTOLOGY_IRI, predicate) is not None, predicate


def test_cld_namespace_matches_prefixes_toml(graph: Graph) -> None:
    declared = {prefix: str(iri) for prefix, iri in graph.namespaces()}
    assert declared.get("cld") == PREFIXES_TOML["prefixes"]["cld"]
    assert str(ONTOLOGY_IRI) + "#" == PREFIXES_TOML["prefixes"]["cld"]


def test_every_prefix_comes_from_prefixes_toml() -> None:
    text = ONTOLOGY_FILE.read_text(encoding="utf-8")
    declared = dict(re.findall(r"^@prefix\s+([\w-]*):\s*<([^>]*)>\s*\.", text, re.MULTILINE))
    assert declared, "no @prefix found"
    for prefix, iri in declared.items():
        assert PREFIXES_TOML["prefixes"].get(prefix) == iri, prefix


# --- documentation of every term -------------------------------------------------------


@pytest.mark.parametrize("term", CLD_TERMS, ids=lambda t: t.removeprefix(str(CLD)))
def test_term_has_one_english_label_and_comment(graph: Graph, term: URIRef) -> None:
    labels = list(graph.objects(term, RDFS.label))
    comments = list(graph.objects(term, RDFS.comment))
    assert len(labels) == 1, f"{term}: {labels}"
    assert isinstance(labels[0], Literal) and labels[0].language == "en"
    assert len(comments) == 1, f"{term}: {comments}"
    assert isinstance(comments[0], Literal) and comments[0].language == "en"
    assert len(str(comments[0])) > 20
    assert list(graph.objects(term, RDFS.isDefinedBy)) == [ONTOLOGY_IRI]


# --- classes ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ALL_CLASSES)
def test_class_is_declared(graph: Graph, name: str) -> None:
    assert (CLD[name], RDF.type, OWL.Class) in graph


@pytest.mark.parametrize("name", RELATION_CLASSES)
def test_relation_class_is_under_relation(graph: Graph, name: str) -> None:
    assert is_relation_class(graph, CLD[name])


@pytest.mark.parametrize("name", EVENT_CLASSES)
def test_event_class_is_under_event(graph: Graph, name: str) -> None:
    assert CLD.Event in superclasses(graph, CLD[name])


@pytest.mark.parametrize("name", RELATION_CLASSES)
def test_relation_class_comment_gives_direction(graph: Graph, name: str) -> None:
    comment = str(graph.value(CLD[name], RDFS.comment))
    assert "cld:subject" in comment, name
    assert "cld:object" in comment, name


@pytest.mark.parametrize("name", ENTITY_CLASSES + OTHER_CLASSES)
def test_other_classes_are_not_relations(graph: Graph, name: str) -> None:
    assert not is_relation_class(graph, CLD[name])


def test_entity_hierarchy(graph: Graph) -> None:
    for sub in ("ArmedGroup", "Coalition", "PoliticalOrganization", "GovernmentBody"):
        assert CLD.Organization in superclasses(graph, CLD[sub]), sub
    for sub in ("War", "Campaign", "Battle"):
        assert CLD.Conflict in superclasses(graph, CLD[sub]), sub
    assert CLD.ArmedGroup in superclasses(graph, CLD.Coalition)
    assert ORG.Membership in superclasses(graph, CLD.Membership)
    assert PROV.Derivation in superclasses(graph, CLD.Attestation)
    assert SEM.Event in superclasses(graph, CLD.Event)


# --- properties and individuals --------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [(n, OWL.ObjectProperty) for n in OBJECT_PROPERTIES]
    + [(n, OWL.DatatypeProperty) for n in DATATYPE_PROPERTIES]
    + [(n, OWL.AnnotationProperty) for n in ANNOTATION_PROPERTIES],
)
def test_property_is_declared(graph: Graph, name: str, kind: URIRef) -> None:
    assert (CLD[name], RDF.type, kind) in graph


@pytest.mark.parametrize("name", ["subject", "object", "place"])
def test_relation_node_property_domain(graph: Graph, name: str) -> None:
    assert graph.value(CLD[name], RDFS.domain) == CLD.Relation


@pytest.mark.parametrize("name", ["earliestStart", "latestStart", "earliestEnd", "latestEnd"])
def test_date_bounds_are_xsd_date(graph: Graph, name: str) -> None:
    assert graph.value(CLD[name], RDFS.range) == XSD.date


@pytest.mark.parametrize("name", STATUS_INDIVIDUALS)
def test_status_individual(graph: Graph, name: str) -> None:
    term = CLD[name]
    assert (term, RDF.type, CLD.Status) in graph
    assert (term, RDF.type, SKOS.Concept) in graph
    assert (term, SKOS.inScheme, CLD.StatusScheme) in graph
    pref = list(graph.objects(term, SKOS.prefLabel))
    assert len(pref) == 1 and pref[0].language == "en"


def test_status_scheme(graph: Graph) -> None:
    assert (CLD.StatusScheme, RDF.type, SKOS.ConceptScheme) in graph
    members = set(graph.subjects(SKOS.inScheme, CLD.StatusScheme))
    assert members == {CLD[n] for n in STATUS_INDIVIDUALS}


# --- shortcuts -------------------------------------------------------------------------


def test_every_shortcut_for_value_is_a_relation_class(graph: Graph) -> None:
    pairs = list(graph.subject_objects(CLD.shortcutFor))
    assert pairs
    for prop, cls in pairs:
        assert (cls, RDF.type, OWL.Class) in graph, cls
        assert is_relation_class(graph, cls) and cls != CLD.Relation, (prop, cls)
        assert (prop, RDF.type, OWL.ObjectProperty) in graph, prop


@pytest.mark.parametrize(("name", "cls"), sorted(SHORTCUTS.items()))
def test_shortcut_names_its_relation_class(graph: Graph, name: str, cls: str) -> None:
    assert list(graph.objects(CLD[name], CLD.shortcutFor)) == [CLD[cls]]


def test_one_shortcut_per_relation_class(graph: Graph) -> None:
    classes = list(graph.objects(None, CLD.shortcutFor))
    assert len(classes) == len(set(classes))
    assert {prop.removeprefix(str(CLD)) for prop in graph.subjects(CLD.shortcutFor)} == set(
        SHORTCUTS
    )


def test_successor_is_the_inverse_of_predecessor(graph: Graph) -> None:
    assert (CLD.predecessor, OWL.inverseOf, CLD.successor) in graph
    # The successor triple is entailed, never produced from a node (subject = successor).
    assert graph.value(CLD.successor, CLD.shortcutFor) is None


@pytest.mark.parametrize("name", SYMMETRIC)
def test_symmetric_shortcuts(graph: Graph, name: str) -> None:
    assert (CLD[name], RDF.type, OWL.SymmetricProperty) in graph


# --- declarations and external terms ---------------------------------------------------


def test_no_undeclared_cld_term_is_used(graph: Graph) -> None:
    declared = {
        s for s, o in graph.subject_objects(RDF.type) if o in DECLARATION_TYPES
    }
    used = {
        node
        for _, p, o in graph
        for node in (p, o)
        if isinstance(node, URIRef) and node.startswith(str(CLD))
    }
    assert used - declared == set()


def test_every_cld_subject_is_declared(graph: Graph) -> None:
    declared = {
        s for s, o in graph.subject_objects(RDF.type) if o in DECLARATION_TYPES
    }
    assert set(CLD_TERMS) - declared == set()


@pytest.mark.parametrize(("name", "pid"), sorted(WIKIDATA_MATCHES.items()))
def test_wikidata_close_match(graph: Graph, name: str, pid: str) -> None:
    assert (CLD[name], SKOS.closeMatch, WD[pid]) in graph


def test_close_matches_point_to_wikidata_properties_or_owl_time(graph: Graph) -> None:
    for term, target in graph.subject_objects(SKOS.closeMatch):
        assert re.fullmatch(r"http://www\.wikidata\.org/entity/P\d+", str(target)) or (
            target.startswith(str(TIME))
        ), (term, target)


@pytest.mark.parametrize(
    ("name", "targets"),
    [
        ("date", {TIME.inXSDgYear, TIME.inXSDgYearMonth, TIME.inXSDDate}),
        ("startDate", {TIME.hasBeginning}),
        ("endDate", {TIME.hasEnd}),
    ],
)
def test_owl_time_close_matches(graph: Graph, name: str, targets: set[URIRef]) -> None:
    assert targets <= set(graph.objects(CLD[name], SKOS.closeMatch))


def test_only_verified_external_terms_are_used(graph: Graph) -> None:
    external = {
        node
        for triple in graph
        for node in triple
        if isinstance(node, URIRef)
        and not node.startswith(str(CLD))
        and not str(node).startswith(BUILTIN_NAMESPACES)
    }
    assert external - VERIFIED_EXTERNAL == set()


# --- OWL-RL consistency ----------------------------------------------------------------


def test_owl_rl_closure_is_consistent(closure: Graph) -> None:
    assert inconsistencies(closure) == []


def test_every_class_and_object_property_is_satisfiable_under_owl_rl(graph: Graph) -> None:
    """OWL-RL only finds clashes between individuals, so give every cld: class one
    instance and every cld: object property one use (fresh nodes), then check."""
    probe = Namespace("https://example.org/probe/")
    data = Graph()
    for triple in graph:
        data.add(triple)
    for cls in graph.subjects(RDF.type, OWL.Class):
        if isinstance(cls, URIRef) and cls.startswith(str(CLD)):
            data.add((probe[f"instance-of-{cls.removeprefix(str(CLD))}"], RDF.type, cls))
    for prop in graph.subjects(RDF.type, OWL.ObjectProperty):
        name = prop.removeprefix(str(CLD))
        data.add((probe[f"subject-of-{name}"], prop, probe[f"object-of-{name}"]))
    assert inconsistencies(owl_rl_closure(data)) == []


@pytest.mark.parametrize(
    "types",
    [
        (CLD.Person, CLD.ArmedGroup),
        (CLD.Alliance, CLD.Coalition),
        (CLD.Attestation, CLD.Clash),
    ],
    ids=["person-group", "relation-entity", "attestation-relation"],
)
def test_owl_rl_check_detects_a_clash(graph: Graph, types: tuple[URIRef, URIRef]) -> None:
    """Negative control: the consistency check above must be able to fail."""
    bad = Graph()
    for triple in graph:
        bad.add(triple)
    thing = URIRef("https://example.org/thing")
    for cls in types:
        bad.add((thing, RDF.type, cls))
    assert inconsistencies(owl_rl_closure(bad)) != []


SAMPLE_DATA = """
@prefix cld: <https://w3id.org/conflict-ld/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/> .

ex:group a cld:ArmedGroup .
ex:older a cld:ArmedGroup .
ex:front a cld:Coalition .
ex:turkey a cld:State .
ex:syria a cld:State , cld:Place .
ex:town a cld:Place .
ex:leader a cld:Person .
ex:war a cld:War .
ex:salafism a cld:Ideology .
ex:src a cld:Source ; cld:fileName "group.wiki" ; cld:sha256 "00ff" ;
    cld:rendering "infobox-wikitext" ; cld:about ex:group .
ex:ref a cld:Reference ; cld:referenceNumber 3 ; cld:line 40 .

ex:r1 a cld:Alliance ; cld:subject ex:group ; cld:object ex:turkey ;
    cld:startDate "2017"^^xsd:gYear ; cld:earliestStart "2017-01-01"^^xsd:date ;
    cld:latestStart "2017-12-31"^^xsd:date ; cld:ongoing true ;
    cld:status cld:Alleged ; cld:disputedBy ex:turkey ; cld:qualifier "(alleged)" ;
    prov:wasDerivedFrom ex:src ; prov:qualifiedDerivation ex:a1 .
ex:a1 a cld:Attestation ; prov:entity ex:src ; cld:evidence "| allies = Turkey" ;
    cld:section "Infobox" ; cld:line 12 ; cld:field "Allies" ; cld:cites ex:ref .
ex:group cld:allyOf ex:turkey .

ex:r2 a cld:Leadership ; cld:subject ex:group ; cld:object ex:leader ; cld:role "emir" .
ex:group cld:ledBy ex:leader .
ex:r3 a cld:Membership ; cld:subject ex:group ; cld:object ex:front .
ex:group cld:memberOf ex:front .
ex:r4 a cld:Strength ; cld:subject ex:group ; cld:minQuantity 10000 ;
    cld:maxQuantity 15000 ; cld:date "2018-03"^^xsd:gYearMonth ; cld:status cld:Estimated .
ex:r5 a cld:Succession ; cld:subject ex:group ; cld:object ex:older .
ex:group cld:predecessor ex:older .
ex:r6 a cld:Capture ; cld:subject ex:group ; cld:object ex:town ;
    cld:date "2015-03-28"^^xsd:date .
ex:group cld:captured ex:town .
ex:r7 a cld:Headquarters ; cld:subject ex:group ; cld:object ex:syria .
ex:group cld:headquarters ex:syria .
ex:r8 a cld:Participation ; cld:subject ex:group ; cld:object ex:war .
ex:group cld:participatedIn ex:war .
ex:r9 a cld:IdeologyAttribution ; cld:subject ex:group ; cld:object ex:salafism .
ex:group cld:ideology ex:salafism .
ex:r10 a cld:Renaming ; cld:subject ex:group ; cld:formerName "Old name" ;
    cld:newName "New name" ; cld:date "2017-01"^^xsd:gYearMonth ; cld:place ex:town .
ex:r11 a cld:Designation ; cld:subject ex:group ; cld:object ex:turkey .
ex:group cld:designatedBy ex:turkey .
"""


def test_owl_rl_sample_data_is_consistent_and_entails_the_expected(graph: Graph) -> None:
    data = Graph()
    for triple in graph:
        data.add(triple)
    data.parse(data=SAMPLE_DATA, format="turtle")
    closure = owl_rl_closure(data)
    assert inconsistencies(closure) == []
    ex = Namespace("https://example.org/")
    expected = [
        (ex.turkey, CLD.allyOf, ex.group),  # symmetric
        (ex.older, CLD.successor, ex.group),  # inverse of predecessor
        (ex.group, ORG.memberOf, ex.front),  # cld:memberOf is an org:memberOf
        (ex.group, RDF.type, ORG.Organization),
        (ex.r1, RDF.type, PROV.Entity),
        (ex.r6, RDF.type, SEM.Event),
        (ex.a1, RDF.type, PROV.Derivation),
        (ex.town, RDF.type, SEM.Place),
    ]
    for triple in expected:
        assert triple in closure, triple
