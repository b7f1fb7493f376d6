"""The embedded Oxigraph store a server answers from, loaded from a build folder."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from conflict_ld.release import release_folder


class DataMissing(RuntimeError):
    pass


def build_base_uri(folder: Path) -> str:
    """The base IRI the build minted its IRIs under (the server must answer for the same)."""
    report = release_folder(folder) / "report.json"
    try:
        return str(json.loads(report.read_text(encoding="utf-8"))["base_uri"])
    except (OSError, ValueError, KeyError):
        raise DataMissing(f"no build report at {report}: run `conflict-ld build` first") from None


def release_stamp(folder: Path) -> tuple[str, datetime]:
    """The served release's version and when it was published (for ETag / Last-Modified)."""
    release = release_folder(folder)
    report = json.loads((release / "report.json").read_text(encoding="utf-8"))
    published = datetime.fromtimestamp(int(release.stat().st_mtime), tz=UTC)
    return str(report.get("version", release.name)), published


def release_triples(folder: Path) -> int:
    """How many distinct triples the latest release holds, from its build report."""
    report = release_folder(folder) / "report.json"
    try:
        return int(json.loads(report.read_text(encoding="utf-8"))["triples"])
    except (OSError, ValueError, KeyError):
        raise DataMissing(f"no build report at {report}: run `conflict-ld build` first") from None


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
    graphs materialised in the default graph. Oxigraph's ``use_default_graph_as_union`` is a
    bag (a triple in two graphs is counted twice) and the endpoint promises the union as a set,
    so every named graph's triples are copied into the default graph, where a store holds each
    triple once."""
    with gzip.open(dump, "rb") as handle:
        store.bulk_load(handle, format=ox.RdfFormat.N_QUADS)
    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object)
                      for q in store.quads_for_pattern(None, None, None)
                      if not isinstance(q.graph_name, ox.DefaultGraph))


def load_store(folder: Path) -> ox.Store:
    """An in-memory store holding the latest release's dataset (every named graph, and their
    union in the default graph)."""
    dump = dataset_dump(folder)
    store = ox.Store()
    fill_store(store, dump)
    return store


def describe_query(iri: str, *, cld: str) -> str:
    """A document that describes one resource completely: its own triples, every relation
    node it takes part in with their attestations, and labels and types of what they link to,
    so a crawler needs no second request."""
    return f"""
PREFIX cld: <{cld}>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT {{ ?s ?p ?o . ?x rdfs:label ?label . ?x a ?type . }}
WHERE {{
  VALUES ?e {{ <{iri}> }}
  {{ ?e ?p ?o . BIND(?e AS ?s) }}
  UNION {{ ?s ?p ?e . FILTER NOT EXISTS {{ ?s a ?relation . ?relation rdfs:subClassOf* cld:Relation }} }}
  UNION {{ ?s cld:subject|cld:object ?e . ?s ?p ?o }}
  UNION {{ ?r cld:subject|cld:object ?e . ?r prov:qualifiedDerivation ?s . ?s ?p ?o }}
  UNION {{ ?r cld:subject|cld:object ?e . ?r cld:subject|cld:object|cld:disputedBy ?x .
           OPTIONAL {{ ?x rdfs:label ?label }} OPTIONAL {{ ?x a ?type }} }}
  UNION {{ ?e ?q ?x . FILTER(isIRI(?x)) OPTIONAL {{ ?x rdfs:label ?label }} OPTIONAL {{ ?x a ?type }} }}
}}"""
