"""The embedded Oxigraph store a server answers from, loaded from a build folder."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from conflict_ld.release import release_folder


class DataMissing(RuntimeError):
    pass


_NONE = object()


def _report(folder: Path, key: str, default: Any = _NONE) -> Any:
    """One entry of the latest release's build report (``default`` when the report lacks it),
    or a clear error when there is no report."""
    report = release_folder(folder) / "report.json"
    try:
        values = json.loads(report.read_text(encoding="utf-8"))
        return values[key] if default is _NONE else values.get(key, default)
    except (OSError, ValueError, KeyError):
        raise DataMissing(f"no build report at {report}: run `conflict-ld build` first") from None


def build_base_uri(folder: Path) -> str:
    """The base IRI the build minted its IRIs under (the server must answer for the same)."""
    return str(_report(folder, "base_uri"))


def release_graphs(folder: Path) -> list[str]:
    """The named graphs of the latest release, from its build report."""
    return sorted(_report(folder, "graphs"))


def release_stamp(folder: Path) -> tuple[str, datetime]:
    """The served release's version and when it was published (for ETag / Last-Modified)."""
    release = release_folder(folder)
    published = datetime.fromtimestamp(int(release.stat().st_mtime), tz=UTC)
    return str(_report(folder, "version", release.name)), published


def release_triples(folder: Path) -> int:
    """How many distinct triples the latest release holds, from its build report."""
    return int(_report(folder, "triples"))


def dataset_dump(folder: Path) -> Path:
    """The latest release's dataset (every named graph), or a clear error when there is none."""
    dump = release_folder(folder) / "dataset.nq.gz"
    if not dump.is_file():
        raise DataMissing(
            f"no dataset at {dump}: run `conflict-ld build --out {folder}` first"
        )
    return dump


def fill_store(store: ox.Store, dump: Path) -> None:
    """Load a release's dataset into an empty store, in memory or on disk, with the union of its
    graphs materialised in the default graph (``materialise_union``)."""
    with gzip.open(dump, "rb") as handle:
        store.bulk_load(handle, format=ox.RdfFormat.N_QUADS)
    materialise_union(store)


def load_store(folder: Path) -> ox.Store:
    """An in-memory store holding the latest release's dataset (every named graph, and their
    union in the default graph)."""
    dump = dataset_dump(folder)
    store = ox.Store()
    fill_store(store, dump)
    return store


def materialise_union(store: ox.Store) -> None:
    """Copy every named graph's triples into the default graph, once each.

    Queries then read the default graph, which is the union of the release's graphs as a set.
    Oxigraph's ``use_default_graph_as_union`` instead yields one solution per graph a triple
    sits in (a triple stated by two articles counted twice). The copy is made once at load
    time (about 3 ms per 1,000 quads) and costs the memory of the union's triples.
    """
    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object)
                      for q in store.quads_for_pattern(None, None, None, None)
                      if not isinstance(q.graph_name, ox.DefaultGraph))


def describe_query(iri: str, *, cld: str) -> str:
    """A document that describes one IRI of the release completely, whatever its kind, so a
    crawler needs no second request: its own triples; what points at it (shortcuts, the
    sources about it, the attestations and references of a source), except relation nodes
    through their provenance (a source would otherwise carry every fact it states twice);
    every relation node it takes part in (subject, object or disputing party) with all their
    triples, their attestations and the references those cite; for a relation node or an
    attestation, the attestations, node and references around it; and the labels and types
    of every IRI these link to. One query: a page is rendered from the same triples.

    The IRI is written into every pattern: Oxigraph does not push a ``VALUES`` binding into
    the branches of a UNION, which made the query 2-3 times slower on a large graph."""
    e = f"<{iri}>"
    parties = "cld:subject|cld:object|cld:disputedBy"
    return f"""
PREFIX cld: <{cld}>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT {{ ?s ?p ?o . ?x rdfs:label ?label . ?x a ?type . }}
WHERE {{
  {{ {e} ?p ?o . BIND({e} AS ?s) }}
  UNION {{ ?s ?p {e} . BIND({e} AS ?o) FILTER NOT EXISTS {{ ?s a cld:Relation }} }}
  UNION {{ ?s {parties} {e} . ?s ?p ?o }}
  UNION {{ ?r {parties} {e} . ?r prov:qualifiedDerivation ?s . ?s ?p ?o }}
  UNION {{ ?r {parties} {e} . ?r prov:qualifiedDerivation/cld:cites ?s . ?s ?p ?o }}
  UNION {{ {e} prov:qualifiedDerivation|cld:cites|prov:qualifiedDerivation/cld:cites ?s . ?s ?p ?o }}
  UNION {{ ?s prov:qualifiedDerivation {e} . ?s ?p ?o }}
  UNION {{ {e} ^prov:qualifiedDerivation/prov:qualifiedDerivation ?s . ?s ?p ?o }}
  UNION {{
    {{ {e} ?q ?x }} UNION {{ ?x ?q {e} FILTER NOT EXISTS {{ ?x a cld:Relation }} }}
    UNION {{ ?r {parties} {e} . ?r ?q ?x }}
    UNION {{ ?r {parties} {e} . ?r prov:qualifiedDerivation/prov:entity ?x }}
    UNION {{ {e} ^prov:qualifiedDerivation ?r . ?r ?q ?x }}
    UNION {{ {e} prov:qualifiedDerivation|cld:cites|^cld:cites ?a . ?a ?q ?x }}
    FILTER(isIRI(?x))
    OPTIONAL {{ ?x rdfs:label ?label }} OPTIONAL {{ ?x a ?type }}
  }}
}}"""


def graph_query(iri: str) -> str:
    """A named graph's IRI dereferences to its content: the triples it holds."""
    return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
