"""Releases: every file of a build under ``OUT/<version>/``, with a VoID and DCAT description
and ``SHA256SUMS``, published atomically by swapping the ``OUT/latest`` link.

The version is a hash of the dataset itself, so the same input gives the same version and
byte-identical data files; only the release description carries an issue date, taken from
``SOURCE_DATE_EPOCH`` when set (the reproducible-builds convention) so it can be pinned too.
A build that fails or is killed leaves the previous release in place and served.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef

from .formats import RdfFormat, by_extension, by_name, formats

LATEST = "latest"
CC_BY_SA_4 = URIRef("https://creativecommons.org/licenses/by-sa/4.0/")


@dataclass(frozen=True)
class Distribution:
    file_name: str
    fmt: RdfFormat
    gzipped: bool
    scope: str  # "dataset" (named graphs), "union", "ontology", "shapes"

    @property
    def media_type(self) -> str:
        return self.fmt.media_type


DISTRIBUTIONS = (
    Distribution("dataset.trig", by_name("trig"), gzipped=False, scope="dataset"),
    Distribution("dataset.nq.gz", by_name("nquads"), gzipped=True, scope="dataset"),
    Distribution("union.ttl", by_name("turtle"), gzipped=False, scope="union"),
    Distribution("union.nt.gz", by_name("ntriples"), gzipped=True, scope="union"),
    Distribution("union.jsonld", by_name("jsonld"), gzipped=False, scope="union"),
    Distribution("ontology.ttl", by_name("turtle"), gzipped=False, scope="ontology"),
    Distribution("shapes.ttl", by_name("turtle"), gzipped=False, scope="shapes"),
)


def gz(data: bytes) -> bytes:
    """gzip without a timestamp or a file name in its header: the same bytes every time."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def version_of(dataset_nquads: bytes) -> str:
    return hashlib.sha256(dataset_nquads).hexdigest()[:12]


def issued() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(tz=UTC).replace(microsecond=0)


def describe(
    *,
    base: str,
    version: str,
    files: Mapping[str, Written],
    prefixes: Mapping[str, str],
    stats: Mapping[str, object],
    sources: list[str],
    when: datetime,
) -> Graph:
    """VoID and DCAT for one release: counts, every distribution with size, type and SHA-256,
    the licence and attribution, the sources, the issue date and the version."""
    ns = {k: Namespace(v) for k, v in prefixes.items()}
    void, dcat, dct, spdx, cld = ns["void"], ns["dcat"], ns["dct"], ns["spdx"], ns["cld"]
    g = Graph()
    for prefix, iri in prefixes.items():
        g.bind(prefix, Namespace(iri))
    dataset = URIRef(f"{base}dataset")
    release = URIRef(f"{base}dumps/{version}/")
    g.add((dataset, RDF.type, void.Dataset))
    g.add((dataset, RDF.type, dcat.Dataset))
    g.add((dataset, dct.title, Literal("conflict-ld: armed groups of the Syrian civil war", lang="en")))
    g.add((dataset, dct.description, Literal(
        "Relations between armed groups, states, people, places and conflicts of the Syrian civil "
        "war, read from encyclopedia articles; every relation is a dated node with the sentence or "
        "infobox line it came from.", lang="en")))
    g.add((dataset, dct.license, CC_BY_SA_4))
    g.add((dataset, dct.rights, Literal(
        "Derived from encyclopedia articles by Wikipedia contributors, licensed CC BY-SA 4.0; "
        "each source article is listed with dct:source. Reuse must keep the licence and this "
        "attribution.", lang="en")))
    g.add((dataset, dct.issued, Literal(when.isoformat().replace("+00:00", "Z"), datatype=XSD.dateTime)))
    g.add((dataset, dcat.version, Literal(version)))
    g.add((dataset, dct.hasVersion, release))
    g.add((dataset, void.sparqlEndpoint, URIRef(f"{base}sparql")))
    g.add((dataset, void.uriSpace, Literal(f"{base}resource/")))
    g.add((dataset, void.vocabulary, URIRef(str(cld))))
    g.add((dataset, void.triples, Literal(int(stats["triples"]))))  # type: ignore[call-overload]
    g.add((dataset, void.entities, Literal(int(stats["entities"]))))  # type: ignore[call-overload]
    for cls, count in sorted(dict(stats["classes"]).items()):  # type: ignore[call-overload]
        partition = URIRef(f"{base}dataset/class/{cls}")
        g.add((dataset, void.classPartition, partition))
        g.add((partition, void["class"], cld[cls]))
        g.add((partition, void.entities, Literal(count)))
    for source in sources:
        g.add((dataset, dct.source, URIRef(source)))
    for dist in DISTRIBUTIONS:
        written = files[dist.file_name]
        node = URIRef(f"{release}{dist.file_name}")
        checksum = URIRef(f"{node}#sha256")
        g.add((dataset, dcat.distribution, node))
        g.add((node, RDF.type, dcat.Distribution))
        g.add((node, dct.title, Literal(dist.file_name)))
        g.add((node, dcat.downloadURL, node))
        g.add((node, dcat.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{dist.media_type}")))
        if dist.gzipped:
            g.add((node, dcat.compressFormat,
                   URIRef("https://www.iana.org/assignments/media-types/application/gzip")))
        g.add((node, dcat.byteSize, Literal(written.size, datatype=XSD.nonNegativeInteger)))
        g.add((node, dct.license, CC_BY_SA_4))
        g.add((node, spdx.checksum, checksum))
        g.add((checksum, RDF.type, spdx.Checksum))
        g.add((checksum, spdx.algorithm, spdx.checksumAlgorithm_sha256))
        g.add((checksum, spdx.checksumValue, Literal(written.sha256, datatype=XSD.hexBinary)))
    return g


@dataclass(frozen=True)
class Written:
    """A file of a release as written: what VoID/DCAT and SHA256SUMS say of it."""

    size: int
    sha256: str


def sha256sums(files: Mapping[str, Written]) -> bytes:
    lines = [f"{file.sha256}  {name}" for name, file in sorted(files.items())]
    return ("\n".join(lines) + "\n").encode("utf-8")


class Staging:
    """A release being written: each file goes to a private folder beside the releases as soon
    as it is made (so a release's files are never all in memory at once), and ``publish``
    renames the folder into place whole. Left without publishing (an error, a violation,
    Ctrl-C), the folder is removed and the published releases are as they were."""

    def __init__(self, out: Path) -> None:
        self.out = out.resolve()
        self.out.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix=".staging.", dir=self.out))
        # mkdtemp makes the folder private; a release is public (a web server may serve it).
        self.folder.chmod(0o755)
        self.written: dict[str, Written] = {}

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)  # gone already once published

    def write(self, name: str, data: bytes) -> None:
        (self.folder / name).write_bytes(data)
        self.written[name] = Written(size=len(data), sha256=hashlib.sha256(data).hexdigest())

    def publish(self, version: str) -> Path:
        """Rename the folder to ``out/<version>/`` (replacing a release of that version), then
        point ``out/latest`` at it with an atomic rename. Earlier versions stay where they are."""
        target = self.out / version
        if target.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{version}.old-", dir=self.out))
            os.rename(target, retired / version)
            os.rename(self.folder, target)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.rename(self.folder, target)
        link = self.out / f".{LATEST}.{os.getpid()}"
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(version)
        os.replace(link, self.out / LATEST)
        return target


def release_folder(path: Path) -> Path:
    """A build folder's latest release, or the folder itself when it is a release."""
    latest = path / LATEST
    return latest.resolve() if latest.is_symlink() or latest.is_dir() else path


class ReleaseError(ValueError):
    """A release or data file that cannot be read."""




def read_release(path: Path, *, ontology: bytes) -> tuple[ox.Store, Graph | None]:
    """What a release (or a data file) asserts, with the ontology, in the default graph of a
    store (the form ``conflict_ld.validate`` checks), and the release's own shapes when it has
    them. ``ontology`` (Turtle) stands in for a release's own ontology.ttl when it has none."""
    if path.is_dir():
        folder = release_folder(path)
        data_file = folder / "dataset.nq.gz"
        own_ontology, own_shapes = folder / "ontology.ttl", folder / "shapes.ttl"
        store = read_store(data_file)
        if own_ontology.is_file():
            ontology = own_ontology.read_bytes()
        shapes = Graph().parse(own_shapes, format="turtle") if own_shapes.is_file() else None
    else:
        store, shapes = read_store(path), None
    store.load(ontology, format=ox.RdfFormat.TURTLE)
    return store, shapes


def read_store(path: Path) -> ox.Store:
    """The distinct triples of an RDF file (its type from its suffix, optionally .gz) in a
    store's default graph, leaving out the entailments graph: those are checked where they
    come from, in what is asserted. Parsed and merged by Oxigraph, not statement by statement
    in Python."""
    suffix = Path(path.name.removesuffix(".gz")).suffix
    fmt = by_extension(suffix.removeprefix("."))
    if fmt is None:
        known = ", ".join(sorted(f".{f.extension}" for f in formats()))
        raise ReleaseError(f"{path}: unknown RDF file type {suffix or '(none)'}; "
                           f"known: {known} (optionally .gz)")
    try:
        data = path.read_bytes()
        if path.name.endswith(".gz"):
            data = gzip.decompress(data)
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise ReleaseError(f"{path}: cannot read: {getattr(error, 'strerror', None) or error}") from None
    store = ox.Store()
    try:
        store.load(data, format=fmt.ox, base_iri=path.resolve().as_uri())
    except (SyntaxError, ValueError) as error:
        raise ReleaseError(f"{path}: not valid {fmt.name}: {error}") from None
    store.update('INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } '
                 'FILTER(!STRENDS(STR(?g), "/graph/inferred")) }')
    store.update("CLEAR NAMED")
    return store
