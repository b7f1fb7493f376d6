"""What a person sees in a real browser: Debian's headless ``chromium``, driven by playwright-core
(tests/browser/drive.mjs, never a downloaded browser), against a real ``conflict-ld serve`` on
127.0.0.1 (the ``live_server`` fixture).

* The query page (``/sparql``): pick a competency question from the page's list, run it, and
  see the same rows in YASGUI's table as the endpoint gives a program.
* An entity page: its ``<h1>`` is the entity's English name; following a link to a linked
  entity changes the URL and shows that entity's name.
* No request goes to any host but the server's, and the query page logs no console error.

Chromium (``system-packages.txt``; ``make test`` installs it) and node/npm are required: when
one is missing the tests fail and say how to install it. ``npm ci`` runs in tests/browser/ when
playwright-core is not installed yet.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.parse
import urllib.request
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

DRIVER = ROOT / "tests" / "browser"
EXAMPLE = "allegiance_denials"  # the competency question the browser runs
ENTITY = "Aknaf_Bait_al-Maqdis"  # the entity page the browser opens
LINKED = "Hamas"  # a linked entity on that page (the query's denier, too)
FOAF = "PREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"
# Texts the browser asks the editor to complete (Ctrl-Space at the end): a prefix (from the list
# bundled with YASQE), then a class and a property, which YASGUI by default looks up at Linked
# Open Vocabularies (lov.linkeddata.es) and the page must not.
COMPLETE = ["PREFIX foa", FOAF + "SELECT * WHERE { ?s a foaf:Pers", FOAF + "SELECT * WHERE { ?s foaf:na"]


def _tool(name: str, package: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: the browser tests need it (Debian package {package}; "
                    "`make system-packages` installs what system-packages.txt lists)")
    return found


@pytest.fixture(scope="module")
def driver() -> list[str]:
    chromium = _tool("chromium", "chromium")
    node = _tool("node", "nodejs")
    npm = _tool("npm", "npm")
    if not (DRIVER / "node_modules" / "playwright-core" / "package.json").is_file():
        subprocess.run([npm, "ci", "--prefix", str(DRIVER), "--no-audit", "--no-fund"], check=True,
                       capture_output=True, timeout=300)
    return [node, str(DRIVER / "drive.mjs"), chromium]


def sparql(base: str, query: str) -> list[dict[str, dict[str, str]]]:
    """The endpoint's own answer, as a program gets it (SPARQL JSON)."""
    request = urllib.request.Request(
        urllib.parse.urljoin(base, "sparql"), data=urllib.parse.urlencode({"query": query}).encode(),
        headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["results"]["bindings"]


def english_name(base: str, name: str) -> str:
    rows = sparql(base, f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?label WHERE {{ ?e rdfs:label ?label FILTER(LANG(?label) = "en")
          FILTER(STRENDS(STR(?e), "/resource/{name}")) }}""")
    assert len(rows) == 1, rows
    return rows[0]["label"]["value"]


def example_query(name: str) -> str:
    return resources.files("conflict_ld.queries").joinpath(f"{name}.rq").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seen(driver: list[str], live_server: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One browser run (a fresh profile) over both pages: what it saw, by page."""
    node, script, chromium = driver
    plan = {
        "chromium": chromium,
        "profile": str(tmp_path_factory.mktemp("chromium-profile")),
        "base": live_server,
        "query_page": {"path": "/sparql", "example": EXAMPLE, "complete": COMPLETE},
        "entity": {"path": f"/page/{ENTITY}", "link": english_name(live_server, LINKED)},
    }
    done = subprocess.run([node, script, json.dumps(plan)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _page(seen: dict[str, Any], page: str) -> dict[str, Any]:
    result = seen[page]
    assert "error" not in result, f"the browser failed on {page}: {result['error']} (at {result['url']})"
    return result


def test_query_page_runs_a_competency_question(seen: dict[str, Any], live_server: str) -> None:
    page = _page(seen, "query_page")
    assert page["status"] == 200 and page["content_type"].startswith("text/html")
    assert page["h1"] == "SPARQL query"
    names = sorted(p.name.removesuffix(".rq") for p in resources.files("conflict_ld.queries").iterdir()
                   if p.name.endswith(".rq"))
    assert page["tabs"] == [n.replace("_", " ") for n in names]
    assert page["active_tab"] == EXAMPLE.replace("_", " ")
    query = example_query(EXAMPLE)
    assert page["editor"] == query
    # The table shows what the endpoint answers a program: every row, every value.
    expected = sparql(live_server, query)
    assert expected, "the example query has no answer in the seed data"
    variables = [c for c in page["columns"] if c]
    assert variables == ["to", "toLabel", "denier", "denierLabel"]
    shown = [row[1:] for row in page["rows"]]  # the first cell is the row number
    assert len(shown) == len(expected)
    unmatched = list(shown)
    for binding in expected:  # each answer is one row of the table (cells add <...>, "..."@en)
        row = next((r for r in unmatched if all(binding[v]["value"] in cell
                                                 for v, cell in zip(variables, r, strict=True))), None)
        assert row is not None, (binding, unmatched)
        unmatched.remove(row)
    deniers = [row[variables.index("denierLabel")] for row in shown]
    assert any(LINKED in cell for cell in deniers), deniers


def test_entity_page_link_leads_to_linked_entity(seen: dict[str, Any], live_server: str) -> None:
    page = _page(seen, "entity")
    assert page["start_url"] == urllib.parse.urljoin(live_server, f"page/{ENTITY}")
    assert page["h1"] == english_name(live_server, ENTITY)
    assert page["home_links"] > 0, "an entity page links home"
    assert page["link_href"] and not page["link_href"].startswith("http"), page["link_href"]
    assert page["after_url"] != page["start_url"]
    assert urllib.parse.urlsplit(page["after_url"]).path == f"/page/{LINKED}"
    assert page["after_h1"] == english_name(live_server, LINKED)


def test_query_editor_completes_prefixes_offline(seen: dict[str, Any]) -> None:
    """Completion works from what the page carries; class and property completion (which would
    ask another host) are off, and the no-request test below checks nothing was asked."""
    page = _page(seen, "query_page")
    prefix, klass, prop = page["hints"]
    assert any(hint.startswith("foaf:") for hint in prefix), prefix
    assert klass == [] and prop == []


@pytest.mark.parametrize("page", ["query_page", "entity"])
def test_no_request_leaves_the_server(seen: dict[str, Any], live_server: str, page: str) -> None:
    result = seen[page]
    assert result["offsite"] == []
    host = urllib.parse.urlsplit(live_server).netloc
    assert result["requests"], "the browser made no request at all"
    assert {urllib.parse.urlsplit(url).netloc for url in result["requests"]} == {host}


@pytest.mark.parametrize("page", ["query_page", "entity"])
def test_no_console_errors(seen: dict[str, Any], page: str) -> None:
    assert seen[page]["console_errors"] == []


def test_driver_reports_offsite_requests(driver: list[str], live_server: str, tmp_path: Path) -> None:
    """The no-request check can fail: a page (the home page) that asks another host is caught."""
    node, script, chromium = driver
    plan = {"chromium": chromium, "profile": str(tmp_path / "profile"), "base": live_server,
            "probe": {"url": "http://example.org/nowhere.png"}}
    done = subprocess.run([node, script, json.dumps(plan)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["probe"]["offsite"] == ["http://example.org/nowhere.png"]
