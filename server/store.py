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


def load_store(folder: Path) -> ox.Store:
    """An in-memory store holding the latest release's dataset: every named graph, and their
    union as a set in the default graph (see ``materialise_union``)."""
    dump = release_folder(folder) / "dataset.nq.gz"
    if not dump.is_file():
        raise DataMissing(
            f"no dataset at {dump}: run `conflict-ld build --out {folder}` first"
        )
    store = ox.Store()
    with gzip.open(dump, "rb") as handle:
        store.bulk_load(handle, format=ox.RdfFormat.N_QUADS)
    materialise_union(store)
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
