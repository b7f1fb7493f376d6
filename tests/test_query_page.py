"""The query page (``server/query_page.py``) without a browser: who gets it, what it carries,
how its assets are served and packaged. tests/test_browser.py runs it in chromium."""

from __future__ import annotations

import json
import tomllib
import urllib.parse
import zipfile
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest

from server import negotiation as neg
from server import query_page
from server.app import create_app
from tests.conftest import ROOT

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
STATIC = ROOT / "server" / "static"
YEAR = 365 * 24 * 3600


@pytest.fixture(scope="module")
def client(default_build: Path):
    return create_app({"out": default_build}).test_client()


class Page(HTMLParser):
    """What the tests read from the page: elements by tag with their attributes, text by tag."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: dict[str, list[str]] = {}
        self._open: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag):]

    def handle_data(self, data: str) -> None:
        if self._open:
            self.text.setdefault(self._open[-1], []).append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def rq_files() -> dict[str, str]:
    folder = resources.files("conflict_ld.queries")
    return {f.name.removesuffix(".rq"): f.read_text(encoding="utf-8")
            for f in folder.iterdir() if f.name.endswith(".rq")}


@pytest.fixture(scope="module")
def page(client) -> Page:
    response = client.get("/sparql", headers={"Accept": BROWSER})
    assert response.status_code == 200
    return Page(response.get_data(as_text=True))


@pytest.mark.parametrize(("method", "accept", "query", "expected"), [
    ("GET", BROWSER, None, "text/html"),
    ("GET", "text/html", None, "text/html"),
    ("HEAD", "text/html", None, "text/html"),
    ("GET", "application/xhtml+xml", None, "text/html"),
    # curl and other programs: not a browser, so they get the service description
    ("GET", None, None, "text/turtle"),
    ("GET", "*/*", None, "text/turtle"),
    ("GET", "application/sparql-results+json", None, 406),  # a description is RDF, not results
    ("GET", "text/html;q=0.5, application/sparql-results+json", None, "text/html"),
    ("POST", BROWSER, None, 400),
    ("GET", BROWSER, "ASK {}", "application/sparql-results+xml"),  # a query gets results, not the page
    ("GET", "text/html", "ASK {}", 406),
])
def test_who_gets_the_page(client, method: str, accept: str | None, query: str | None,
                           expected: str | int) -> None:
    headers = {"Accept": accept} if accept else {}
    data = {"query": query} if query else {}
    response = (client.open("/sparql", method=method, query_string=data, headers=headers)
                if method in ("GET", "HEAD") else client.post("/sparql", data=data, headers=headers))
    if isinstance(expected, int):
        assert response.status_code == expected
    else:
        assert response.status_code == 200
        assert response.mimetype == expected


def test_page_carries_every_competency_question(page: Page) -> None:
    config = json.loads("".join(page.text["script"]))
    files = rq_files()
    assert [e["name"] for e in config["examples"]] == sorted(files)
    assert config["endpoint"] == "/sparql"
    for example in config["examples"]:
        query = files[example["name"]]
        assert example["query"] == query
        comment = " ".join(line.lstrip("#").strip() for line in query.splitlines() if line.startswith("#"))
        # The title is the question from the comment, the "Competency question:" label dropped.
        assert example["title"] and example["title"][1:] in comment
        assert not example["title"].lower().startswith("competency question")
    links = page.find("a")
    listed = {a["data-example"]: a["href"] for a in links if a.get("data-example")}
    assert set(listed) == set(files)
    for name, href in listed.items():
        assert urllib.parse.parse_qs(urllib.parse.urlsplit(href or "").query)["query"] == [files[name]]
    assert page.find("a", href="/"), "no link home"
    assert page.text["h1"] == ["SPARQL query"]


def test_list_links_run_their_query(client, page: Page) -> None:
    """Without JavaScript a question's link runs it on the endpoint."""
    for link in page.find("a"):
        if link.get("data-example"):
            response = client.get(link["href"], headers={"Accept": "application/sparql-results+json"})
            assert response.status_code == 200, link["data-example"]
            assert "results" in response.get_json()


def test_noscript_form(page: Page) -> None:
    form = page.find("form")
    assert form == [{"method": "get", "action": "/sparql", "class": "plain"}]
    assert page.find("textarea", name="query")
    assert [o["value"] for o in page.find("option")] == [r.names[0] for r in neg.results()]
    assert "".join(page.text["textarea"]) == rq_files()[min(rq_files())]


@pytest.mark.parametrize("hostile", [
    "</script><script>alert(1)</script>", "</SCRIPT >", "<!-- <script>", "a & b \u2028 \" '",
])
def test_embedded_json_cannot_end_its_script(hostile: str) -> None:
    text = query_page._script_json({"query": hostile})
    assert "<" not in text
    assert json.loads(text) == {"query": hostile}


def test_assets_served_for_a_year(client, page: Page) -> None:
    urls = [a["href"] for a in page.find("link", rel="stylesheet")] + [
        a["src"] for a in page.find("script") if a.get("src")]
    assert len(urls) == 4  # YASGUI's js and css, the page's own js and css
    for url in urls:
        assert url and url.startswith(f"/assets/{query_page.stamp()}/")
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == f"public, max-age={YEAR}, immutable"
        assert response.mimetype == {"js": "text/javascript", "css": "text/css"}[url.rpartition(".")[2]]
        assert response.data == (STATIC / url.split("/", 3)[3]).read_bytes()
        again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304


@pytest.mark.parametrize("path", [
    "/assets/000000000000/yasgui/yasgui.min.js",  # an old stamp: gone, never stale content
    "/assets/{stamp}/yasgui/nothing.js",
    "/assets/{stamp}/yasgui/README.md",  # only .js and .css are assets
    "/assets/{stamp}/yasgui/VERSION",
    "/assets/{stamp}/../query_page.py",
    "/assets/{stamp}/%2e%2e/query_page.py",
])
def test_assets_that_do_not_exist(client, path: str) -> None:
    assert client.get(path.format(stamp=query_page.stamp())).status_code == 404


def test_page_is_conditional(client) -> None:
    first = client.get("/sparql", headers={"Accept": BROWSER})
    again = client.get("/sparql", headers={"Accept": BROWSER, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert first.headers["Vary"] == "Accept"


def test_package_ships_the_static_files() -> None:
    """An installed (non-editable) package carries every file under server/static."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["conflict_ld.server"]
    shipped = {p for pattern in patterns for p in (ROOT / "server").glob(pattern)}  # as setuptools globs
    files = {p for p in STATIC.rglob("*") if p.is_file()}
    assert files
    assert files - shipped == set()


def test_assets_from_a_zipped_package(client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A package imported from a zip archive (not a folder) serves its assets too."""
    archive = tmp_path / "package.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("static/x.js", "console.log('zipped');")
    item = zipfile.Path(archive, "static/x.js")
    monkeypatch.setattr(query_page, "_assets", lambda: {"x.js": item})
    monkeypatch.setattr(query_page, "stamp", lambda: "zipped")
    response = client.get("/assets/zipped/x.js")
    assert response.status_code == 200
    assert response.data == b"console.log('zipped');"
    assert response.headers["Cache-Control"] == f"public, max-age={YEAR}, immutable"


def test_static_folder_only_behind_stamped_urls(client) -> None:
    """Flask's default /static route would serve server/static unstamped (and its README)."""
    assert client.get("/static/yasgui/yasgui.min.js").status_code == 404
    assert client.get("/static/yasgui/README.md").status_code == 404
