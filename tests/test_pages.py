"""The HTML pages: what an entity page shows (names, timeline, evidence, references), that its
links resolve, its schema.org JSON-LD, escaping, the home page, class indexes, the ontology."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest
from conflict_ld.server import linked_data
from conflict_ld.server.app import create_app
from conflict_ld.server.description import Description
from conflict_ld.server.kinds import ENTITY
from conflict_ld.server.linked_data import render_page
from conflict_ld.server.views import period
from rdflib import Graph, Namespace, URIRef

from conflict_ld.resources import prefixes

ROOT = Path(__file__).resolve().parent.parent
BASE = "http://localhost:8080/"
CLD = prefixes()["cld"]
XSD = prefixes()["xsd"]
RDFS = prefixes()["rdfs"]
AKNAF = "/page/Aknaf_Bait_al-Maqdis"


class Page(HTMLParser):
    """What the tests read from a page: links, ids, headings, scripts, text by element."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.links: list[str] = []
        self.anchors: list[list[str]] = []  # [href, text]
        self.heads: list[dict[str, str]] = []
        self.ids: set[str] = set()
        self.scripts: list[tuple[dict[str, str], str]] = []
        self.h1 = ""
        self.text: list[str] = []
        self.whens: list[str] = []
        self._open: list[tuple[str, dict[str, str]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
            self.anchors.append([a["href"], ""])
        if tag == "link":
            self.heads.append(a)
        if tag not in {"meta", "link", "br"}:
            self._open.append((tag, a))

    def handle_endtag(self, tag: str) -> None:
        while self._open and self._open.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if not self._open:
            return
        tag, attrs = self._open[-1]
        if tag == "a" and attrs.get("href") and self.anchors:
            self.anchors[-1][1] += data
        if tag == "h1":
            self.h1 += data
        if tag == "script":
            self.scripts.append((attrs, data))
        if tag == "td" and attrs.get("class") == "when":
            self.whens.append(data)

    @property
    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())


@pytest.fixture(scope="module")
def app(default_build: Path):
    return create_app({"out": default_build})


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def aknaf(client) -> Page:
    response = client.get(AKNAF)
    assert response.status_code == 200
    return Page(response.get_data(as_text=True))


def _jsonld(page: Page) -> dict:
    scripts = [body for attrs, body in page.scripts if attrs.get("type") == "application/ld+json"]
    assert len(scripts) == 1
    return json.loads(scripts[0])


def _select(app, query: str) -> list[dict]:
    return app.extensions["conflict_ld"].backend.select(f"PREFIX cld: <{CLD}> PREFIX rdfs: <{RDFS}> {query}")


def test_entity_page_shows_its_names_and_type(app, aknaf: Page) -> None:
    assert aknaf.h1 == "Aknaf Bait al-Maqdis"
    names = _select(app, f"""SELECT ?n WHERE {{ <{BASE}resource/Aknaf_Bait_al-Maqdis>
        rdfs:label|<http://www.w3.org/2004/02/skos/core#altLabel> ?n }}""")
    assert len(names) > 3
    assert any(n["n"].language == "ar" for n in names)
    for name in names:
        assert name["n"].value in aknaf.all_text
    assert "/ontology#ArmedGroup" in aknaf.links


def _year(when: str) -> str:
    return re.search(r"\d{4}", when).group()


def test_timeline_is_in_date_order_with_open_ends(aknaf: Page) -> None:
    dated = [w for w in aknaf.whens if w != "undated"]
    assert len(dated) > 10
    years = [_year(w) for w in dated]
    assert years == sorted(years)
    assert "2015 – present" in dated  # the ongoing active period
    assert "undated" in aknaf.whens and "undated" in aknaf.ids


@pytest.mark.parametrize(("props", "when"), [
    ({"startDate": ("2015", "gYear"), "ongoing": ("true", "boolean")}, "2015 – present"),
    ({"endDate": ("2018", "gYear")}, "? – 2018"),
    ({"startDate": ("2012-03", "gYearMonth")}, "2012-03 – ?"),
    ({"startDate": ("2012", "gYear"), "endDate": ("2014", "gYear")}, "2012 – 2014"),
    ({"date": ("2018-05-01", "date")}, "2018-05-01"),
    ({"earliestStart": ("2012-01-01", "date"), "latestStart": ("2013-12-31", "date"),
      "endDate": ("2015", "gYear")}, "2012/2013 – 2015"),
    ({}, ""),
])
def test_periods_read_as_people_write_them(props: dict, when: str) -> None:
    node = ox.NamedNode(BASE + "relation/X")
    d = Description(ox.Triple(node, ox.NamedNode(CLD + p), ox.Literal(v, datatype=ox.NamedNode(XSD + t)))
                    for p, (v, t) in props.items())
    assert period(d, node, CLD)[0] == when


def test_every_fact_shows_its_source_evidence_and_references(app, aknaf: Page) -> None:
    text = aknaf.all_text
    assert "Hamas (denied by Hamas)" in text
    rows = _select(app, f"""SELECT DISTINCT ?ref ?citation ?evidence WHERE {{
        ?r cld:subject|cld:object <{BASE}resource/Aknaf_Bait_al-Maqdis> ;
           <http://www.w3.org/ns/prov#qualifiedDerivation> ?a .
        ?a cld:cites ?ref ; cld:evidence ?evidence .
        ?ref <http://purl.org/dc/terms/bibliographicCitation> ?citation }}""")
    assert rows
    for row in rows:
        assert " ".join(row["citation"].value.split()) in text
        assert " ".join(row["evidence"].value.split()) in text
        assert "/" + row["ref"].value[len(BASE):] in aknaf.links
    sources = _select(app, f"""SELECT DISTINCT ?s WHERE {{
        ?r cld:subject|cld:object <{BASE}resource/Aknaf_Bait_al-Maqdis> ;
           <http://www.w3.org/ns/prov#wasDerivedFrom> ?s }}""")
    assert len(sources) == 2
    for source in sources:
        assert "/" + source["s"].value[len(BASE):] in aknaf.links


def test_every_linked_entity_is_a_local_link(app, aknaf: Page) -> None:
    others = _select(app, f"""SELECT DISTINCT ?o WHERE {{
        ?r cld:subject <{BASE}resource/Aknaf_Bait_al-Maqdis> ; cld:object ?o }}""")
    assert len(others) > 20
    for row in others:
        assert "/" + row["o"].value[len(BASE):] in aknaf.links


def test_every_local_link_on_an_entity_page_resolves(client, aknaf: Page) -> None:
    local = sorted({link.split("#")[0] for link in aknaf.links if link.startswith("/")})
    assert len(local) > 50
    for link in local:
        response = client.get(link, follow_redirects=True)
        assert response.status_code == 200, link


def test_alternate_formats_are_linked_in_head_and_body(client, aknaf: Page) -> None:
    alternates = {h["type"]: h["href"] for h in aknaf.heads if h.get("rel") == "alternate"}
    for media in ("text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"):
        assert alternates[media] in aknaf.links
        assert client.get(alternates[media]).mimetype == media


def test_page_embeds_schema_org_json_ld(aknaf: Page) -> None:
    scripts = [body for attrs, body in aknaf.scripts if attrs.get("type") == "application/ld+json"]
    assert len(scripts) == 1
    data = json.loads(scripts[0])
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Organization" and data["name"] == "Aknaf Bait al-Maqdis"
    assert "أكناف بيت المقدس" in data["alternateName"]
    assert data["url"] == BASE + "resource/Aknaf_Bait_al-Maqdis"
    assert re.fullmatch(r"\d{4}(-\d\d){0,2}", data["foundingDate"])
    # The same JSON-LD read as RDF gives schema.org triples about the entity.
    graph = Graph().parse(data=json.dumps({**data, "@context": {"@vocab": "https://schema.org/"}}),
                          format="json-ld")
    assert (URIRef(data["@id"]), Namespace("https://schema.org/").name, None) in graph


@pytest.mark.parametrize(("name", "schema_type"), [("Ban_Ki-moon", "Person"), ("Yarmouk_Camp", "Place")])
def test_schema_org_type_follows_the_class(client, name: str, schema_type: str) -> None:
    page = Page(client.get(f"/page/{name}").get_data(as_text=True))
    data = _jsonld(page)
    assert data["@type"] == schema_type


def test_pages_are_self_contained_and_fit_a_phone(client) -> None:
    for url in (AKNAF, "/", "/ontology", "/class/ArmedGroup", "/graph/entities"):
        html = client.get(url).get_data(as_text=True)
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
        assert "<style>" in html and "@media" in html
        assert not re.search(r"<(script|img|iframe)[^>]+src=|<link[^>]+stylesheet", html)
        assert "<nav>" in html and 'href="/"' in html


HOSTILE = "<b>Evil & \"Co\" 'Brigade'</b><script>alert(1)</script>"


def test_everything_is_escaped(app) -> None:
    """A synthetic entity whose label, Arabic name, evidence and reference carry markup."""
    e, r, a = (ox.NamedNode(BASE + p) for p in ("resource/Evil", "relation/Alliance_1", "attestation/1"))
    ref, src = ox.NamedNode(BASE + "source/s/reference/1"), ox.NamedNode(BASE + "source/s")

    def lit(text: str, lang: str | None = None) -> ox.Literal:
        return ox.Literal(text, language=lang) if lang else ox.Literal(text)

    t = ox.Triple
    cld = lambda name: ox.NamedNode(CLD + name)  # noqa: E731
    label = ox.NamedNode(RDFS + "label")
    triples = [
        t(e, label, lit(HOSTILE, "en")), t(e, label, lit(HOSTILE + "ع", "ar")),
        t(e, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), cld("ArmedGroup")),
        t(e, ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel"), lit("</script><i>x</i>", "en")),
        t(r, cld("subject"), e), t(r, cld("object"), e), t(r, cld("date"), lit("2015")),
        t(r, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), cld("Alliance")),
        t(r, ox.NamedNode("http://www.w3.org/ns/prov#qualifiedDerivation"), a),
        t(a, cld("evidence"), lit(HOSTILE)), t(a, cld("cites"), ref),
        t(a, ox.NamedNode("http://www.w3.org/ns/prov#entity"), src), t(src, label, lit(HOSTILE)),
        t(ref, ox.NamedNode("http://purl.org/dc/terms/bibliographicCitation"), lit(HOSTILE)),
    ]
    with app.test_request_context("/page/Evil"):
        html = render_page(ENTITY, e.value, triples, alternates=[]).get_data(as_text=True)
    assert "<b>" not in html and "<script>alert" not in html and "<i>x</i>" not in html
    assert "&lt;b&gt;Evil &amp; &#34;Co&#34; &#39;Brigade&#39;&lt;/b&gt;" in html
    page = Page(html)
    assert page.h1 == HOSTILE
    data = _jsonld(page)
    assert data["name"] == HOSTILE and "</script><i>x</i>" in data["alternateName"]
    assert page.all_text.count(HOSTILE) >= 3  # title, evidence, reference, source


def test_home_page_counts_licence_and_links(client, default_build: Path) -> None:
    report = json.loads((default_build / "latest" / "report.json").read_text())
    page = Page(client.get("/").get_data(as_text=True))
    text = page.all_text
    assert f"{report['triples']:,}" in text and f"{report['entities']['total']:,}" in text
    assert f"{sum(report['relations']['by_class'].values()):,}" in text
    assert "CC BY-SA 4.0" in text and "Wikipedia contributors" in text
    for link in ("/sparql", "/ontology", "/.well-known/void", "/dumps/",
                 f"/dumps/{report['version']}/union.ttl", f"/dumps/{report['version']}/dataset.nq.gz"):
        assert link in page.links
    for cls in report["entities"]["by_class"]:
        assert f"/class/{cls}" in page.links


def test_home_page_indexes_every_entity_by_class_sorted(app, client) -> None:
    page = Page(client.get("/").get_data(as_text=True))
    rows = _select(app, """SELECT DISTINCT ?e WHERE { ?e a ?c .
        FILTER(?c IN (cld:ArmedGroup, cld:Coalition, cld:PoliticalOrganization, cld:State, cld:GovernmentBody,
                      cld:Person, cld:Place, cld:War, cld:Campaign, cld:Battle, cld:Ideology)) }""")
    assert len(rows) > 50
    for row in rows:
        assert "/" + row["e"].value[len(BASE):] in page.links


def test_class_index_is_sorted_and_paginated(client, monkeypatch) -> None:
    full = Page(client.get("/class/ArmedGroup").get_data(as_text=True))
    names = [link for link in full.links if link.startswith("/resource/")]
    assert len(names) == 21
    shown = [text for href, text in full.anchors if href.startswith("/resource/")]
    assert "Aknaf Bait al-Maqdis" in shown
    assert [s.casefold() for s in shown] == sorted(s.casefold() for s in shown)
    monkeypatch.setattr(linked_data, "CLASS_PAGE_SIZE", 5)
    pages = [Page(client.get(f"/class/ArmedGroup?page={n}").get_data(as_text=True)) for n in range(1, 6)]
    paged = [link for p in pages for link in p.links if link.startswith("/resource/")]
    assert paged == names
    assert "?page=2" in pages[0].links and "?page=4" in pages[4].links
    assert client.get("/class/ArmedGroup?page=6").status_code == 404
    assert client.get("/class/ArmedGroup?page=x").status_code == 400


def test_ontology_page_documents_every_term(client) -> None:
    ontology = Graph().parse(ROOT / "ontology" / "conflict.ttl", format="turtle")
    terms = {str(s)[len(CLD):] for s in ontology.subjects() if str(s).startswith(CLD) and str(s) != CLD}
    assert len(terms) > 100
    page = Page(client.get("/ontology").get_data(as_text=True))
    assert terms <= page.ids
    text = page.all_text
    for term in ("Alliance", "allyOf", "earliestStart"):
        label = next(ontology.objects(URIRef(CLD + term), URIRef(RDFS + "label")))
        comment = next(ontology.objects(URIRef(CLD + term), URIRef(RDFS + "comment")))
        assert str(label) in text and " ".join(str(comment).split()) in text
    assert "#Alliance" in page.links  # allyOf's shortcut-for, and Alliance names its shortcut


@pytest.mark.parametrize(("path", "expected"), [
    ("/page/relation/Alliance_ddce4e33cd306a6e", ["Hay'at Tahrir al-Sham (2018)", "Allies"]),
    ("/page/attestation/dd8ca29434b6d3d9", ["- Allies: Jaysh al-Islam", "line 13"]),
    ("/page/source/001_a61b2647d8e311c0", ["Report of the Secretary-General on conflict-related"]),
    ("/page/source/001_a61b2647d8e311c0/reference/24", ["undocs.org"]),
    ("/graph/000_557fef28febaf1b5", ["Aknaf Bait al-Maqdis (000_557fef28febaf1b5.txt)"]),
])
def test_other_pages_show_what_they_describe(client, path: str, expected: list[str]) -> None:
    page = Page(client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True))
    for text in expected:
        assert text in page.all_text, text
    for link in {x.split("#")[0] for x in page.links if x.startswith("/")}:
        assert client.get(link, follow_redirects=True).status_code == 200, link
