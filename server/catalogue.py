"""The DCAT catalogue of the releases, built from each release's own ``void.ttl``.

``{base}dumps/`` is a ``dcat:Catalog``; each release ``{base}dumps/{version}/`` is a
``dcat:Dataset`` in the series ``{base}dataset`` (``dcat:DatasetSeries``, DCAT 3; the series'
``dcat:last`` is the release ``latest`` names), carrying what its VoID says of the dataset
(title, licence, rights, issue date, version, counts, sources) and its distributions with
byte size, media type, SHA-256 and a ``dcat:downloadURL`` under ``{base}dumps/``. IRIs use the
base IRI, the dataset's public name, rather than the address a request came in on: the same
catalogue for every client, and stable identifiers for archives.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from conflict_ld.release import CC_BY_SA_4
from conflict_ld.resources import prefixes

from .releases import Release

# What a release's VoID says of the dataset that is not about this one release.
_SERIES_ONLY = ("void#classPartition", "terms/hasVersion")


def _ns(prefix: str, local: str) -> ox.NamedNode:
    return ox.NamedNode(prefixes()[prefix] + local)


def _rewrite(term: ox.NamedNode | ox.BlankNode | ox.Literal, old: str, new: str):
    if isinstance(term, ox.NamedNode) and term.value.startswith(old):
        return ox.NamedNode(new + term.value[len(old):])
    return term


def release_triples(release: Release, *, base: str) -> list[ox.Triple]:
    """One release as a ``dcat:Dataset`` (empty when its VoID is missing or unreadable)."""
    triples = release.void
    rdf_type, dataset_class = _ns("rdf", "type"), _ns("dcat", "Dataset")
    datasets = {t.subject for t in triples if t.predicate == rdf_type and t.object == dataset_class}
    if len(datasets) != 1:
        return []
    (described,) = datasets
    node = ox.NamedNode(f"{base}dumps/{release.version}/")
    # The release was built under some base; its distributions are rewritten to ours.
    old = next((t.object.value for t in triples if t.subject == described
                and t.predicate == _ns("dct", "hasVersion")), None) or node.value
    out = [ox.Triple(node, _ns("dcat", "inSeries"), ox.NamedNode(f"{base}dataset")),
           ox.Triple(node, _ns("dct", "isVersionOf"), ox.NamedNode(f"{base}dataset"))]
    for t in triples:
        if t.subject == described:
            if not t.predicate.value.endswith(_SERIES_ONLY):
                out.append(ox.Triple(node, t.predicate, _rewrite(t.object, old, node.value)))
        elif isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(old):
            out.append(ox.Triple(_rewrite(t.subject, old, node.value), t.predicate,
                                 _rewrite(t.object, old, node.value)))
    return out


def catalogue_triples(releases: Iterable[Release], *, base: str, latest: str | None) -> list[ox.Triple]:
    catalogue, series = ox.NamedNode(f"{base}dumps/"), ox.NamedNode(f"{base}dataset")
    rdf_type = _ns("rdf", "type")
    out = [
        ox.Triple(catalogue, rdf_type, _ns("dcat", "Catalog")),
        ox.Triple(catalogue, _ns("dct", "title"),
                  ox.Literal("conflict-ld releases", language="en")),
        ox.Triple(catalogue, _ns("dct", "description"), ox.Literal(
            "Every published release of conflict-ld, newest first, with its files, their sizes, "
            "media types and SHA-256 checksums.", language="en")),
        ox.Triple(catalogue, _ns("dct", "license"), ox.NamedNode(str(CC_BY_SA_4))),
        ox.Triple(catalogue, _ns("foaf", "homepage"), ox.NamedNode(base)),
        ox.Triple(series, rdf_type, _ns("dcat", "DatasetSeries")),
        ox.Triple(series, _ns("dct", "title"),
                  ox.Literal("conflict-ld: armed groups of the Syrian civil war", language="en")),
        ox.Triple(series, _ns("dct", "license"), ox.NamedNode(str(CC_BY_SA_4))),
    ]
    described = []
    for release in releases:
        triples = release_triples(release, base=base)
        if not triples:
            continue
        node = ox.NamedNode(f"{base}dumps/{release.version}/")
        out.append(ox.Triple(catalogue, _ns("dcat", "dataset"), node))
        if release.version == latest:
            out.append(ox.Triple(series, _ns("dcat", "last"), node))
        described.extend(triples)
    return out + described


def serialize(triples: list[ox.Triple], fmt: ox.RdfFormat) -> bytes:
    used = {"rdf", "xsd", "dct", "dcat", "void", "spdx", "foaf", "cld"}
    return ox.serialize(triples, format=fmt, prefixes={k: v for k, v in prefixes().items() if k in used})
