"""Hostile input across the whole app: path traversal in every spelling, links and odd files
planted in the build folder, overlong and invalid names, odd Unicode, huge headers, and a
hypothesis fuzz over paths, Accept and Range headers. Always a 4xx (or a redirect or a real
answer), never a 500, never a traceback, never a byte of a file outside a release."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import socket
import unicodedata
from pathlib import Path
from urllib.parse import quote, unquote_to_bytes, urlsplit

import pytest
from conflict_ld.server.app import create_app
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SECRET = b"TOP-SECRET-OUTSIDE-THE-RELEASE"
PREFIXES = ("/resource/", "/data/", "/page/", "/dumps/", "/dumps/latest/", "/sparql", "/.well-known/void",
            "/sitemap.xml", "/robots.txt", "/")


def _sums_line(name: str, data: bytes) -> str:
    return f"{hashlib.sha256(data).hexdigest()}  {name}\n"


@pytest.fixture(scope="module")
def planted(default_build: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A copy of the seed build with traps in its latest release and beside it: links to a
    secret file outside, a FIFO, a folder, an unlisted file, SHA256SUMS lines naming paths
    outside, a linked "release" folder and a hidden one."""
    root = tmp_path_factory.mktemp("hostile")
    out = root / "out"
    shutil.copytree(default_build, out, symlinks=True)
    secret = root / "secret.txt"
    secret.write_bytes(SECRET)
    version = os.readlink(out / "latest")
    release = out / version
    (release / "link.ttl").symlink_to(secret)
    (release / "union.ttl").unlink()
    (release / "union.ttl").symlink_to(secret)  # a listed name replaced by a link
    os.mkfifo(release / "pipe.ttl")
    (release / "folder.ttl").mkdir()
    (release / "unlisted.ttl").write_bytes(SECRET)
    with (release / "SHA256SUMS").open("a") as sums:
        for name in ("link.ttl", "pipe.ttl", "folder.ttl", "../secret.txt", "/etc/passwd",
                     "..", "sub/union.ttl"):
            sums.write(_sums_line(name, SECRET))
    elsewhere = root / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.txt").write_bytes(SECRET)
    (elsewhere / "SHA256SUMS").write_text(_sums_line("secret.txt", SECRET))
    (out / "linked").symlink_to(elsewhere)
    shutil.copytree(elsewhere, out / ".hidden")
    return out, version


@pytest.fixture(scope="module")
def client(planted: tuple[Path, str]):
    return create_app({"out": planted[0]}).test_client()


def raw_open(client, path: str, *, method: str = "GET", headers: dict[str, str] | None = None):
    """A request with exactly this path, as the server would hand it to the app: percent-decoded
    bytes as latin-1 in PATH_INFO, the rest in QUERY_STRING (the test client would otherwise
    read a path starting with // as a host)."""
    raw, _, query = path.partition("?")
    return client.open("/", method=method, headers=headers or {}, environ_overrides={
        "PATH_INFO": unquote_to_bytes(raw).decode("latin-1"), "QUERY_STRING": query,
        "REQUEST_URI": path, "RAW_URI": path})


def _safe(response) -> None:
    assert response.status_code < 500, response.status_code
    assert SECRET not in response.data
    assert b"root:x:0:0" not in response.data
    assert b"Traceback" not in response.data


@pytest.mark.parametrize("name", ["link.ttl", "union.ttl", "pipe.ttl", "folder.ttl", "unlisted.ttl",
                                  "..", "secret.txt", "sub"])
def test_planted_files_are_not_served(client, planted, name: str) -> None:
    _, version = planted
    for path in (f"/dumps/{version}/{name}", f"/dumps/latest/{name}"):
        response = client.get(path)
        _safe(response)
        assert response.status_code == 404, path


def test_planted_folders_are_not_releases(client, planted) -> None:
    _, version = planted
    index = client.get("/dumps/").get_data(as_text=True)
    assert version in index
    for trap in ("link.ttl", "pipe.ttl", "folder.ttl", "unlisted.ttl", "secret.txt", "linked", ".hidden",
                 "etc/passwd"):
        assert trap not in index, trap
    for path in ("/dumps/linked/", "/dumps/linked/secret.txt", "/dumps/.hidden/secret.txt",
                 "/dumps/.hidden/", "/dumps/linked"):
        response = client.get(path)
        _safe(response)
        assert response.status_code == 404, path
    # the rest of the release is still served: the traps did not break it
    assert client.get(f"/dumps/{version}/dataset.trig").status_code == 200


def test_latest_pointing_outside_is_not_followed(default_build: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(default_build, out, symlinks=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.txt").write_bytes(SECRET)
    (elsewhere / "SHA256SUMS").write_text(_sums_line("secret.txt", SECRET))
    client = create_app({"out": out}).test_client()
    (out / "latest").unlink()
    (out / "latest").symlink_to(elsewhere)
    for path in ("/dumps/latest/", "/dumps/latest/secret.txt", "/dumps/latest/SHA256SUMS"):
        response = client.get(path)
        _safe(response)
        assert response.status_code == 404, path
    index = client.get("/dumps/").get_data(as_text=True)
    assert "(latest)" not in index and "secret.txt" not in index


TRAVERSALS = [
    "/dumps/../../etc/passwd",
    "/dumps/%2e%2e/%2e%2e/etc/passwd",
    "/dumps/..%2f..%2fetc%2fpasswd",
    "/dumps/{v}/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/dumps/{v}/%2e%2e%2f%2e%2e%2fsecret.txt",
    "/dumps/%252e%252e/%252e%252e/etc/passwd",
    "/dumps/{v}/%252e%252e%252fsecret.txt",
    "/dumps/..\\..\\etc\\passwd",
    "/dumps/{v}/..%5c..%5csecret.txt",
    "/dumps/{v}/..\\secret.txt",
    "/dumps//etc/passwd",
    "/dumps/{v}//etc/passwd",
    "/dumps/{v}/%2fetc%2fpasswd",
    "/dumps/{v}/union.ttl%00.png",
    "/dumps/{v}/union.ttl%00",
    "/dumps/{v}%00/dataset.trig",
    "/dumps/latest/..%2f..%2f..%2fetc%2fpasswd",
    "/dumps/latest/%2e%2e",
    "/dumps/{v}/./dataset.trig/..",
    "/dumps/{v}/dataset.trig/",
    "/dumps/%2e/",
    "/dumps/C:%5cWindows%5cwin.ini",
    "/dumps/{v}/file:%2f%2f%2fetc%2fpasswd",
    "/data/../../etc/passwd",
    "/data/..%2f..%2fetc%2fpasswd.ttl",
    "/page/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/resource/..%2f..%2f..%2fetc%2fpasswd",
    "/.well-known/void/../../etc/passwd",
    "/.well-known/..%2f..%2fetc%2fpasswd",
    "/sparql/..%2f..%2fetc%2fpasswd",
    "/sitemap-..%2f1.xml",
    "/etc/passwd",
    "//etc/passwd",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_traversal_is_404(client, planted, path: str) -> None:
    response = raw_open(client, path.format(v=planted[1]))
    _safe(response)
    if response.status_code == 308:  # Werkzeug merges // into / by a redirect: follow it once
        location = urlsplit(response.headers["Location"])
        assert location.hostname in (None, "localhost")
        response = raw_open(client, location.path)
        _safe(response)
    assert response.status_code in (400, 404), response.status_code


LONG = "a" * 10_000
AHRAR = "\u0623\u062d\u0631\u0627\u0631_\u0627\u0644\u0634\u0627\u0645"  # with a hamza: NFD differs
NAMES = {
    "overlong": LONG,
    "overlong encoded": "%e2%80%8f" * 3_000,
    "invalid utf-8": "%ff%fe",
    "lone surrogate (CESU)": "%ed%a0%80",
    "overlong utf-8 slash": "%c0%af",
    "NUL": "a%00b",
    "CR LF": "a%0d%0aSet-Cookie:%20x=1",
    "RTL mark": quote("\u200fAhrar_al-Sham"),
    "RTL override": quote("\u202eAhrar_al-Sham"),
    "combining": quote("A\u0301\u0302\u0303hrar"),
    "NFC accented": quote(unicodedata.normalize("NFC", "Caf\u00e9_Brigade")),
    "NFD accented": quote(unicodedata.normalize("NFD", "Caf\u00e9_Brigade")),
    "NFC Arabic": quote(unicodedata.normalize("NFC", AHRAR)),
    "NFD Arabic": quote(unicodedata.normalize("NFD", AHRAR)),
    "zero width joiner": quote("Ahrar\u200d_al-Sham"),
    "BOM": quote("\ufeffAhrar_al-Sham"),
    "emoji": quote("\U0001f4a5"),
    "spaces and quotes": "%20%22%3C%3E%7B%7D%5C%5E%60%7C",
    "SPARQL injection": quote("x> ?p ?o } ; DROP ALL ; SELECT * { <x"),
}


@pytest.mark.parametrize("prefix", ["/resource/", "/data/", "/page/", "/dumps/", "/dumps/latest/",
                                    "/dumps/{v}/", "/sparql/", "/.well-known/void/", "/sitemap-"])
@pytest.mark.parametrize("kind", list(NAMES))
def test_odd_names(client, planted, prefix: str, kind: str) -> None:
    for suffix in ("", ".ttl", "/"):
        response = raw_open(client, prefix.format(v=planted[1]) + NAMES[kind] + suffix,
                            headers={"Accept": "text/turtle"})
        _safe(response)
        assert response.status_code in (308, 400, 404, 406, 414), (kind, suffix, response.status_code)


def test_nfc_and_nfd_of_a_name_answer_alike(client) -> None:
    """Two spellings of one accented name name two IRIs: neither is an error."""
    for prefix in ("/resource/", "/data/", "/page/"):
        nfc = client.get(prefix + NAMES["NFC Arabic"]).status_code
        nfd = client.get(prefix + NAMES["NFD Arabic"]).status_code
        assert nfc == nfd == 404


@pytest.mark.parametrize("path", ["/", "/dumps/", "/dumps/latest/", "/page/Al-Qaeda", "/data/Al-Qaeda",
                                  "/resource/Al-Qaeda", "/.well-known/void", "/sparql?query=ASK%7B%7D",
                                  "/sitemap.xml", "/robots.txt"])
@pytest.mark.parametrize("header", ["Accept", "Range", "If-None-Match", "If-Range", "Cookie", "X-Big"])
def test_huge_header_values(client, path: str, header: str) -> None:
    """100 KB in one header (under the server's 408 KB limit, so the app sees it)."""
    value = ("text/turtle;q=0.5, " * 6_000)[:100_000] if header == "Accept" else "bytes=0-1," * 10_000
    response = client.get(path, headers={header: value})
    _safe(response)


def _raw(url: str, request: bytes) -> bytes:
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=20) as sock:
        with contextlib.suppress(OSError):  # the server may close while we send what it refused
            sock.sendall(request)
        data = b""
        try:
            while chunk := sock.recv(65536):
                data += chunk
        except OSError:
            pass
    return data


@pytest.mark.parametrize(
    ("size", "status"),
    [(100_000, b"200"), (300_000, b"200"), (1_000_000, b"431"), (4_000_000, b"431")],
)
def test_the_server_and_huge_headers(live_server: str, size: int, status: bytes) -> None:
    """granian reads a request's head into a buffer of 408 KB (HTTP1Settings.max_buffer_size,
    checked as it reads, so a head a little over it may pass): a 300 KB header reaches the app,
    a 1 MB one gets 431 from granian itself."""
    answer = _raw(live_server, b"GET /dumps/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * size
                  + b"\r\nConnection: close\r\n\r\n")
    assert answer.split(b" ", 2)[1] == status, answer[:200]


@pytest.mark.parametrize(
    ("request_line", "statuses"),
    [
        (b"GET /dumps/../../etc/passwd HTTP/1.1", (b"404",)),
        (b"GET /dumps/%2e%2e/%2e%2e/etc/passwd HTTP/1.1", (b"404",)),
        (b"GET /dumps/latest/..%2f..%2fetc%2fpasswd HTTP/1.1", (b"404",)),
        (b"GET /dumps/..\\..\\etc\\passwd HTTP/1.1", (b"404",)),
        (b"GET /page/\xff\xfe HTTP/1.1", (b"400", b"404")),  # raw invalid UTF-8: the server says Bad Request
        (b"GET /page/" + b"a" * 10_000 + b" HTTP/1.1", (b"404",)),
        (b"GET /dumps/%00 HTTP/1.1", (b"404",)),
        (b"GET /page/%ff%fe HTTP/1.1", (b"404",)),
    ],
)
def test_raw_request_lines_on_the_server(live_server: str, request_line: bytes, statuses) -> None:
    answer = _raw(live_server, request_line + b"\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    assert answer.split(b" ", 2)[1] in statuses, answer[:200]
    assert b"root:x:0:0" not in answer and b"Traceback" not in answer


# --- fuzz -------------------------------------------------------------------------------------

SPECIAL = ["..", ".", "%2e%2e", "%252e%252e", "..%2f", "%2f", "%5c", "\\", "%00", "%ff%fe", "latest",
           "SHA256SUMS", "union.ttl", "dataset.nq.gz", "void.ttl", "Al-Qaeda", "Al-Qaeda.ttl", "", "~",
           "%", "%%", "%zz", "?", "#", ";", "%3f", "%23", "\u202e", "a\u0301", "%e2%80%8f"]


@st.composite
def segments(draw) -> str:
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return draw(st.sampled_from(SPECIAL))
    if kind == 1:
        return quote(draw(st.text(st.characters(exclude_categories=("Cs",)), max_size=30)), safe="")
    if kind == 2:
        return "".join(f"%{b:02X}" for b in draw(st.binary(max_size=12)))
    return draw(st.text(st.characters(min_codepoint=33, max_codepoint=126, exclude_characters="?#"),
                        max_size=20))


@st.composite
def paths(draw) -> str:
    prefix = draw(st.sampled_from(PREFIXES))
    path = prefix + "/".join(draw(st.lists(segments(), max_size=4)))
    if draw(st.booleans()):
        key = draw(st.sampled_from(["format", "query", "default-graph-uri", "x"]))
        path += f"?{key}={quote(draw(st.text(max_size=40)), safe='')}"
    return path


media_range = st.builds(
    lambda t, s, q: f"{t}/{s}" + (f";q={q}" if q is not None else ""),
    st.sampled_from(["text", "application", "*", "image", "", "x"]),
    st.sampled_from(["turtle", "html", "ld+json", "json", "n-triples", "rdf+xml", "*", "trig", "", "a;b"]),
    st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True).map(str),
              st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=5)),
)
header_text = st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=80)
accepts = st.one_of(st.none(), st.lists(media_range, max_size=5).map(", ".join), header_text)
offsets = st.one_of(st.none(), st.integers(0, 10**7))
range_headers = st.one_of(
    st.none(),
    st.lists(st.tuples(offsets, offsets), max_size=6).map(lambda rs: "bytes=" + ",".join(
                 f"{'' if a is None else a}-{'' if b is None else b}" for a, b in rs)),
    header_text,
)


@settings(max_examples=300, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(path=paths(), accept=accepts, byte_range=range_headers,
       method=st.sampled_from(["GET", "GET", "HEAD", "POST", "OPTIONS"]))
def test_fuzz_no_server_errors(client, planted, path: str, accept: str | None, byte_range: str | None,
                               method: str) -> None:
    headers = {k: v for k, v in (("Accept", accept), ("Range", byte_range), ("If-Range", byte_range))
               if v is not None}
    response = raw_open(client, path.replace("{v}", planted[1]), method=method, headers=headers)
    _safe(response)


@pytest.mark.parametrize(("path", "status"), [("/dumps/{v}/dataset.trig", 200), ("/page/Al-Qaeda", 200),
                                              ("/dumps/{v}/SHA256SUMS?x=1", 200), ("/page/Al%2DQaeda", 200),
                                              ("/dumps//{v}/", 308)])
def test_raw_open_reaches_the_app(client, planted, path: str, status: int) -> None:
    """The helper the tests above send their paths with does reach the routes."""
    assert raw_open(client, path.format(v=planted[1])).status_code == status
