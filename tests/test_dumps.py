"""Downloads for archivists (/dumps), the DCAT catalogue, byte ranges, sitemap and robots.txt,
over a build folder holding two releases (the seeds without one article, then all of them)."""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import subprocess
import urllib.request
import xml.etree.ElementTree as ET
from email import message_from_bytes
from pathlib import Path
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import pytest
from conflict_ld.server import crawl
from conflict_ld.server.app import create_app
from conflict_ld.server.ranges import parse_ranges
from rdflib import RDF, Graph, Namespace, URIRef

from conflict_ld.cli import main
from conflict_ld.formats import file_media_type
from tests.conftest import ROOT, serving

BASE = "http://localhost:8080/"
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
OLD_EPOCH, NEW_EPOCH = 1_700_000_000, 1_750_000_000


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two releases in one build folder: the older without one article, the newer complete."""
    root = tmp_path_factory.mktemp("dumps")
    fewer = root / "seeds-fewer"
    shutil.copytree(ROOT / "seeds", fewer)
    min(fewer.glob("*.txt")).unlink()
    folder = root / "out"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", str(OLD_EPOCH))
        assert main(["build", "--seeds", str(fewer), "--out", str(folder)]) == 0
        env.setenv("SOURCE_DATE_EPOCH", str(NEW_EPOCH))
        assert main(["build", "--seeds", str(ROOT / "seeds"), "--out", str(folder)]) == 0
    return folder


@pytest.fixture(scope="module")
def versions(out: Path) -> tuple[str, str]:
    """(newest, older)"""
    newest = os.readlink(out / "latest")
    (older,) = [p.name for p in out.iterdir() if p.is_dir() and not p.is_symlink() and p.name != newest
                and not p.name.startswith(".")]
    assert newest != older
    return newest, older


@pytest.fixture(scope="module")
def client(out: Path):
    return create_app({"out": out}).test_client()


def sums(folder: Path) -> dict[str, str]:
    lines = (folder / "SHA256SUMS").read_text().splitlines()
    return {name: digest for digest, name in (line.split("  ") for line in lines)}


def path_of(url: str) -> str:
    assert url.startswith(BASE), url
    return "/" + url[len(BASE):]


# --- the index and the DCAT catalogue ---------------------------------------------------------

def test_index_lists_every_release_newest_first(client, out: Path, versions: tuple[str, str]) -> None:
    newest, older = versions
    response = client.get("/dumps/", headers={"Accept": "text/html"})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert text.index(newest) < text.index(older)
    assert f"{newest}</a> <strong>(latest)</strong>" in text
    assert f"{older}</a> <strong>(latest)" not in text
    assert "2025-06-15" in text and "2023-11-14" in text  # the two issue dates
    assert "CC BY-SA 4.0" in text and "Wikipedia contributors" in text
    for version in versions:
        for name, digest in sums(out / version).items():
            assert f"href='/dumps/{version}/{name}'" in text
            assert digest in text
        assert f"href='/dumps/{version}/SHA256SUMS'" in text
    assert f"{os.path.getsize(out / newest / 'report.json'):,} bytes" in text
    assert "application/gzip (application/n-quads, gzipped)" in text


@pytest.mark.parametrize(
    ("path", "accept", "status", "media"),
    [
        ("/dumps/", None, 200, "text/html"),
        ("/dumps/", "text/html,application/xhtml+xml,*/*;q=0.8", 200, "text/html"),
        ("/dumps/", "*/*", 200, "text/html"),
        ("/dumps/", "text/turtle", 200, "text/turtle"),
        ("/dumps/", "application/ld+json", 200, "application/ld+json"),
        ("/dumps/", "application/json", 200, "application/ld+json"),
        ("/dumps/", "application/n-triples", 200, "application/n-triples"),
        ("/dumps/", "application/rdf+xml", 200, "application/rdf+xml"),
        ("/dumps/", "text/turtle;q=0.5, application/rdf+xml", 200, "application/rdf+xml"),
        ("/dumps/", "image/png", 406, "text/plain"),
        ("/dumps/{new}/", None, 200, "text/html"),
        ("/dumps/{new}/", "text/turtle", 200, "text/turtle"),
        ("/dumps/{old}/", "application/ld+json", 200, "application/ld+json"),
        ("/dumps/{old}/", "image/png", 406, "text/plain"),
        ("/dumps/latest/", "text/turtle", 302, None),
        ("/dumps/no-such-release/", None, 404, "text/plain"),
        ("/dumps/no-such-release/union.ttl", None, 404, "text/plain"),
        ("/dumps/{new}", None, 308, None),
        ("/dumps/latest", None, 308, None),
        ("/dumps/no-such-release", None, 404, "text/plain"),
        ("/dumps", None, 308, None),
    ],
)
def test_routes_by_accept(client, versions, path: str, accept: str | None, status: int,
                          media: str | None) -> None:
    newest, older = versions
    headers = {"Accept": accept} if accept else {}
    response = client.get(path.format(new=newest, old=older), headers=headers)
    assert response.status_code == status
    if media:
        assert response.mimetype == media
    if status == 200:
        assert response.headers["Vary"] == "Accept"
        assert 'rel="alternate"; type="text/turtle"' in response.headers["Link"] or media == "text/turtle"
        assert response.headers["ETag"]
        assert client.get(path.format(new=newest, old=older), headers={
            **headers, "If-None-Match": response.headers["ETag"]}).status_code == 304


@pytest.mark.parametrize("fmt", ["turtle", "json-ld", "nt", "xml"])
def test_catalogue_parses_and_describes_both_releases(client, versions, fmt: str) -> None:
    newest, older = versions
    media = {"turtle": "text/turtle", "json-ld": "application/ld+json", "nt": "application/n-triples",
             "xml": "application/rdf+xml"}[fmt]
    g = Graph().parse(data=client.get("/dumps/", headers={"Accept": media}).data, format=fmt)
    catalogue = URIRef(f"{BASE}dumps/")
    assert (catalogue, RDF.type, DCAT.Catalog) in g
    datasets = set(g.objects(catalogue, DCAT.dataset))
    assert datasets == {URIRef(f"{BASE}dumps/{v}/") for v in versions}
    for version in versions:
        node = URIRef(f"{BASE}dumps/{version}/")
        assert (node, RDF.type, DCAT.Dataset) in g
        assert str(g.value(node, DCAT.version)) == version
        assert g.value(node, DCT.license) == URIRef("https://creativecommons.org/licenses/by-sa/4.0/")
        assert len(set(g.objects(node, DCAT.distribution))) == 7
    assert g.value(URIRef(f"{BASE}dataset"), DCAT.last) == URIRef(f"{BASE}dumps/{newest}/")
    issued = {v: g.value(URIRef(f"{BASE}dumps/{v}/"), DCT.issued).toPython() for v in versions}
    assert issued[newest].timestamp() == NEW_EPOCH and issued[older].timestamp() == OLD_EPOCH
    # the class partitions belong to one release each, not to the series: not in the catalogue
    assert not list(g.triples((None, URIRef("http://rdfs.org/ns/void#classPartition"), None)))


def test_every_download_url_gives_the_advertised_bytes(client, versions) -> None:
    g = Graph().parse(data=client.get("/dumps/", headers={"Accept": "text/turtle"}).data, format="turtle")
    urls = list(g.subject_objects(DCAT.downloadURL))
    assert len(urls) == 14
    for distribution, url in urls:
        response = client.get(path_of(str(url)))
        assert response.status_code == 200, url
        assert len(response.data) == int(g.value(distribution, DCAT.byteSize))
        digest = str(g.value(g.value(distribution, SPDX.checksum), SPDX.checksumValue))
        assert hashlib.sha256(response.data).hexdigest() == digest
        assert response.headers["ETag"] == f'"{digest}"'


def test_one_release_lists_only_itself(client, versions) -> None:
    newest, older = versions
    g = Graph().parse(data=client.get(f"/dumps/{older}/", headers={"Accept": "text/turtle"}).data,
                      format="turtle")
    assert set(g.objects(URIRef(f"{BASE}dumps/"), DCAT.dataset)) == {URIRef(f"{BASE}dumps/{older}/")}
    text = client.get(f"/dumps/{older}/").get_data(as_text=True)
    assert older in text and newest not in text


# --- files ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("name", "media"),
    [
        ("dataset.trig", "application/trig"),
        ("dataset.nq.gz", "application/gzip"),
        ("union.ttl", "text/turtle"),
        ("union.nt.gz", "application/gzip"),
        ("union.jsonld", "application/ld+json"),
        ("ontology.ttl", "text/turtle"),
        ("shapes.ttl", "text/turtle"),
        ("void.ttl", "text/turtle"),
        ("report.json", "application/json"),
        ("SHA256SUMS", "text/plain"),
    ],
)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_file_headers(client, out: Path, versions, name: str, media: str, method: str) -> None:
    newest, _ = versions
    path = out / newest / name
    response = client.open(f"/dumps/{newest}/{name}", method=method)
    assert response.status_code == 200
    assert response.mimetype == media == file_media_type(name)
    assert "Content-Encoding" not in response.headers  # a .gz is saved as it is
    assert int(response.headers["Content-Length"]) == path.stat().st_size
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert response.headers["ETag"] == f'"{digest}"'
    if name != "SHA256SUMS":
        assert digest == sums(out / newest)[name]
    assert response.headers["Last-Modified"]
    assert response.headers["Accept-Ranges"] == "bytes"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Content-Range" in response.headers["Access-Control-Expose-Headers"]
    assert response.data == (path.read_bytes() if method == "GET" else b"")
    if name.endswith(".gz"):
        assert gzip.decompress(response.data if method == "GET" else path.read_bytes())


def test_etag_is_stable_across_restarts(out: Path, versions) -> None:
    newest, _ = versions
    first = create_app({"out": out}).test_client().head(f"/dumps/{newest}/union.ttl")
    second = create_app({"out": out}).test_client().head(f"/dumps/{newest}/union.ttl")
    assert first.headers["ETag"] == second.headers["ETag"]
    assert first.headers["Last-Modified"] == second.headers["Last-Modified"]


def test_conditional_requests(client, versions) -> None:
    newest, _ = versions
    url = f"/dumps/{newest}/union.ttl"
    full = client.get(url)
    etag, modified = full.headers["ETag"], full.headers["Last-Modified"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(url, headers={"If-Match": '"other"'}).status_code == 412


def test_latest_redirects_to_the_versioned_url(client, versions) -> None:
    newest, _ = versions
    response = client.get("/dumps/latest/dataset.nq.gz")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/dumps/{newest}/dataset.nq.gz"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert client.get("/dumps/latest/").headers["Location"] == f"/dumps/{newest}/"
    assert client.head("/dumps/latest/union.ttl").status_code == 302
    assert client.get("/dumps/latest/no-such-file").status_code == 404
    followed = client.get("/dumps/latest/SHA256SUMS", follow_redirects=True)
    assert followed.status_code == 200 and b"union.ttl" in followed.data


# --- byte ranges ------------------------------------------------------------------------------

SIZE_NAME = "dataset.trig"


@pytest.mark.parametrize(
    ("header", "status", "pieces"),
    [
        ("bytes=0-99", 206, [(0, 100)]),
        ("bytes=-100", 206, [(-100, None)]),
        ("bytes=100-", 206, [(100, None)]),
        ("bytes=0-0,5-9", 206, [(0, 1), (5, 10)]),
        ("bytes=0-9,5-19", 206, [(0, 20)]),  # overlapping ranges are merged
        ("bytes=0-", 200, [(0, None)]),  # the whole file: a plain 200
        ("bytes=abc", 200, [(0, None)]),  # not understood: ignored
        ("bytes=9-5", 200, [(0, None)]),  # invalid: ignored
        ("items=0-9", 200, [(0, None)]),  # another unit: ignored
        ("bytes={size}-", 416, []),  # beyond the end
        ("bytes={size}-{size2}", 416, []),
        ("bytes=-0", 416, []),
        ("bytes=0-4,{size}-", 206, [(0, 5)]),  # the unsatisfiable one dropped
        ("bytes=-{size2}", 200, [(0, None)]),  # a suffix longer than the file: all of it
        ("bytes=" + ",".join(f"{2 * i}-{2 * i}" for i in range(40)), 200, [(0, None)]),  # too many
    ],
)
def test_range_requests(client, out: Path, versions, header: str, status: int, pieces) -> None:
    newest, _ = versions
    data = (out / newest / SIZE_NAME).read_bytes()
    size = len(data)
    response = client.get(f"/dumps/{newest}/{SIZE_NAME}",
                          headers={"Range": header.format(size=size, size2=size + 10)})
    assert response.status_code == status
    wanted = [data[a:b] for a, b in pieces]
    if status == 416:
        assert response.headers["Content-Range"] == f"bytes */{size}"
    elif status == 200:
        assert response.data == data
    elif len(pieces) == 1:
        (start, end), = pieces
        start = start % size
        end = size if end is None else end
        assert response.headers["Content-Range"] == f"bytes {start}-{end - 1}/{size}"
        assert response.data == wanted[0]
        assert int(response.headers["Content-Length"]) == len(wanted[0])
    else:
        assert response.mimetype == "multipart/byteranges"
        assert int(response.headers["Content-Length"]) == len(response.data)
        message = message_from_bytes(
            b"Content-Type: " + response.headers["Content-Type"].encode() + b"\r\n\r\n" + response.data)
        parts = message.get_payload()
        assert [p.get_payload(decode=False).encode("latin-1") for p in parts] == wanted
        assert [p["Content-Range"] for p in parts] == [f"bytes {a}-{b - 1}/{size}" for a, b in pieces]
        assert all(p["Content-Type"] == "application/trig" for p in parts)


@pytest.mark.parametrize(
    ("header", "size", "expected"),
    [
        ("bytes=0-99", 1000, [(0, 100)]),
        ("bytes=0-99", 50, [(0, 50)]),
        ("bytes=-100", 1000, [(900, 1000)]),
        ("bytes=5-9, 0-0", 1000, [(0, 1), (5, 10)]),
        ("bytes=0-1,2-3", 1000, [(0, 4)]),  # adjacent: merged
        ("BYTES = 1-2", 1000, [(1, 3)]),
        ("bytes=1000-", 1000, []),
        ("bytes=", 1000, None),
        ("bytes=1-2-3", 1000, None),
        ("bytes=a-b", 1000, None),
        ("bytes", 1000, None),
        ("", 1000, None),
    ],
)
def test_parse_ranges(header: str, size: int, expected) -> None:
    assert parse_ranges(header, size) == expected


def test_resumed_download_equals_the_file(client, out: Path, versions) -> None:
    newest, _ = versions
    url = f"/dumps/{newest}/dataset.nq.gz"
    data = (out / newest / "dataset.nq.gz").read_bytes()
    first = client.get(url, headers={"Range": "bytes=0-9999"})
    assert first.status_code == 206 and len(first.data) == 10_000
    rest = client.get(url, headers={"Range": f"bytes={len(first.data)}-", "If-Range": first.headers["ETag"]})
    assert rest.status_code == 206
    assert first.data + rest.data == data
    assert hashlib.sha256(first.data + rest.data).hexdigest() == sums(out / newest)["dataset.nq.gz"]
    # If-Range naming another version of the file: the whole file, not a piece of a different one
    stale = client.get(url, headers={"Range": "bytes=10000-", "If-Range": '"0123"'})
    assert stale.status_code == 200 and stale.data == data
    by_date = client.get(url, headers={"Range": "bytes=10000-", "If-Range": first.headers["Last-Modified"]})
    assert by_date.status_code == 206 and by_date.data == data[10_000:]


@pytest.fixture(scope="module")
def live(out: Path):
    """A real `conflict-ld serve` (granian) over the two releases, on a free port."""
    with serving(out, ready="dumps/") as url:
        yield url


@pytest.mark.parametrize("tool", ["curl", "wget"])
def test_real_clients_resume_a_download(live: str, out: Path, versions, tmp_path: Path, tool: str) -> None:
    """curl -C - and wget -c finish a partial download through /dumps/latest/ (302) and the
    result has the release's SHA-256; the .gz is saved as it is (no transfer decoding)."""
    newest, _ = versions
    data = (out / newest / "dataset.nq.gz").read_bytes()
    target = tmp_path / "dataset.nq.gz"
    target.write_bytes(data[:12_345])
    url = f"{live}dumps/latest/dataset.nq.gz"
    command = (["curl", "-sSfL", "-C", "-", "-o", str(target), url] if tool == "curl"
               else ["wget", "-q", "-c", "-O", str(target), url])
    subprocess.run(command, check=True, timeout=30)
    assert hashlib.sha256(target.read_bytes()).hexdigest() == sums(out / newest)["dataset.nq.gz"]


def test_live_head_and_range(live: str, out: Path, versions) -> None:
    newest, _ = versions
    url = f"{live}dumps/{newest}/union.ttl"
    head = urllib.request.urlopen(urllib.request.Request(url, method="HEAD"))
    assert int(head.headers["Content-Length"]) == (out / newest / "union.ttl").stat().st_size
    assert head.read() == b""
    piece = urllib.request.urlopen(urllib.request.Request(url, headers={"Range": "bytes=-50"}))
    assert piece.status == 206
    assert piece.read() == (out / newest / "union.ttl").read_bytes()[-50:]


# --- sitemap and robots.txt -------------------------------------------------------------------

def _locations(body: bytes, tag: str) -> list[str]:
    root = ET.fromstring(body)
    assert root.tag == f"{SITEMAP}{tag}"
    return [e.text or "" for e in root.iter(f"{SITEMAP}loc")]


def test_sitemap_lists_home_and_every_entity_page(client, out: Path) -> None:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    urls = _locations(response.data, "urlset")
    assert urls[:2] == [BASE, f"{BASE}dumps/"]
    nt = gzip.decompress((out / "latest" / "union.nt.gz").read_bytes()).decode()
    subjects = {line.split(" ", 1)[0][1:-1] for line in nt.splitlines()}
    entities = {s for s in subjects if s.startswith(f"{BASE}resource/")}
    assert entities
    assert set(urls[2:]) == {s.replace("/resource/", "/page/") for s in entities}
    assert len(urls) == len(set(urls))
    for url in urls[2:5]:
        assert client.get(path_of(url)).status_code == 200


@pytest.mark.parametrize(("total", "limit", "pages"),
                         [(0, 10, 0), (10, 10, 0), (11, 10, 2), (20, 10, 2), (21, 10, 3), (50_000, 50_000, 0),
                          (50_001, 50_000, 2)])
def test_page_count(total: int, limit: int, pages: int) -> None:
    assert crawl.page_count(total, limit) == pages


def test_sitemap_index_pages_with_a_small_limit(out: Path) -> None:
    app = create_app({"out": out})
    client = app.test_client()
    everything = _locations(client.get("/sitemap.xml").data, "urlset")
    app.config["SITEMAP_URL_LIMIT"] = 7
    index = _locations(client.get("/sitemap.xml").data, "sitemapindex")
    assert index == [f"{BASE}sitemap-{n}.xml" for n in range(1, -(-len(everything) // 7) + 1)]
    paged = []
    for url in index:
        page = _locations(client.get(path_of(url)).data, "urlset")
        assert 1 <= len(page) <= 7
        paged.extend(page)
    assert paged == everything
    assert client.get("/sitemap-0.xml").status_code == 404
    assert client.get(f"/sitemap-{len(index) + 1}.xml").status_code == 404
    app.config["SITEMAP_URL_LIMIT"] = crawl.LIMIT
    assert client.get("/sitemap-1.xml").status_code == 404  # no index, no pages


def test_robots_txt(client) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    robots = RobotFileParser()
    robots.parse(response.get_data(as_text=True).splitlines())
    for allowed in ("/", "/page/Al-Qaeda", "/resource/Al-Qaeda", "/dumps/", "/sitemap.xml"):
        assert robots.can_fetch("*", BASE.rstrip("/") + allowed), allowed
    assert not robots.can_fetch("*", f"{BASE}sparql?query=ASK%7B%7D")
    assert robots.site_maps() == [f"{BASE}sitemap.xml"]
    assert urlsplit(robots.site_maps()[0]).path == "/sitemap.xml"


@pytest.mark.parametrize("path", ["/dumps/", "/dumps/{new}/", "/dumps/{new}/union.nt.gz", "/dumps/latest/",
                                  "/sitemap.xml", "/robots.txt", "/dumps/no-such-release/"])
def test_head_answers_like_get(client, versions, path: str) -> None:
    path = path.format(new=versions[0])
    get, head = client.get(path), client.head(path)
    assert head.status_code == get.status_code
    assert head.data == b""
    for name in ("Content-Type", "Content-Length", "ETag", "Location"):
        assert head.headers.get(name) == get.headers.get(name), name


def test_head_ignores_range(client, out: Path, versions) -> None:
    newest, _ = versions
    response = client.head(f"/dumps/{newest}/union.ttl", headers={"Range": "bytes=0-9"})
    assert response.status_code == 200
    assert int(response.headers["Content-Length"]) == (out / newest / "union.ttl").stat().st_size


def test_a_release_folder_served_alone(out: Path, versions) -> None:
    """``serve --out OUT/<version>`` (a release rather than a build folder) still has /dumps."""
    newest, older = versions
    client = create_app({"out": out / older}).test_client()
    assert client.get("/dumps/latest/").headers["Location"] == f"/dumps/{older}/"
    index = client.get("/dumps/").get_data(as_text=True)
    assert f"{older}</a> <strong>(latest)</strong>" in index and newest not in index
    assert client.get(f"/dumps/{older}/union.ttl").data == (out / older / "union.ttl").read_bytes()


def test_sitemap_escapes_quotes(client) -> None:
    body = client.get("/sitemap.xml").get_data(as_text=True)
    assert "As-Sa&apos;iqa" in body and "As-Sa'iqa" not in body
