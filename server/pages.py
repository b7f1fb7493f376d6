"""Server-rendered HTML: no external assets, readable on a phone."""

from __future__ import annotations

import html

from flask import Response

from .negotiation import HTML
from .site import Site


def page(title: str, body: str, *, status: int = 200) -> Response:
    return Response(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(title)}</title></head><body><h1>{html.escape(title)}</h1>"
        f"{body}</body></html>",
        status,
        mimetype=HTML,
    )


def home_html(site: Site) -> str:
    counts = site.backend.select(
        "SELECT ?c (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?c } GROUP BY ?c ORDER BY ?c")
    rows = "".join(
        f"<tr><td>{html.escape(s['c'].value.removeprefix(site.cld))}</td><td>{s['n'].value}</td></tr>"
        for s in counts
    )
    return (f"<p>Linked data on armed groups of the Syrian civil war. "
            f"Query it at <a href='/sparql'>/sparql</a>.</p><table>{rows}</table>")


def entity_html(site: Site, iri: str) -> str:
    rows = site.backend.select(
        f"""PREFIX cld: <{site.cld}> PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?r ?class ?other ?otherLabel ?start ?end ?date ?evidence ?source WHERE {{
          ?r cld:subject|cld:object <{iri}> ; a ?class .
          FILTER(STRSTARTS(STR(?class), STR(cld:)))
          OPTIONAL {{ ?r cld:subject|cld:object ?other FILTER(?other != <{iri}>)
                     OPTIONAL {{ ?other rdfs:label ?otherLabel FILTER(LANG(?otherLabel) = "en") }} }}
          OPTIONAL {{ ?r cld:startDate ?start }} OPTIONAL {{ ?r cld:endDate ?end }}
          OPTIONAL {{ ?r cld:date ?date }}
          OPTIONAL {{ ?r prov:qualifiedDerivation ?a . ?a cld:evidence ?evidence ; prov:entity ?source }}
        }} ORDER BY ?class ?otherLabel""")
    out = []
    for row in rows:
        other = row.get("other")
        label = row["otherLabel"].value if "otherLabel" in row else (other.value if other else "")
        link = (
            f"<a href='{html.escape(site.local_path(other.value) or other.value)}'>{html.escape(label)}</a>"
            if other is not None else ""
        )
        when = " – ".join(row[x].value for x in ("start", "end") if x in row) or (
            row["date"].value if "date" in row else ""
        )
        evidence = html.escape(row["evidence"].value if "evidence" in row else "")
        kind = html.escape(row["class"].value.removeprefix(site.cld))
        out.append(f"<tr><td>{kind}</td><td>{link}</td><td>{html.escape(when)}</td>"
                   f"<td><q>{evidence}</q></td></tr>")
    header = "<tr><th>relation</th><th>with</th><th>when</th><th>evidence</th></tr>"
    return f"<table>{header}{''.join(out)}</table>"
