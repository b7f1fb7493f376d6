"""The query page a browser gets at ``GET /sparql``: a plain form, with the competency
questions (``queries/*.rq``) as examples."""

from __future__ import annotations

import html
from importlib import resources

from flask import Response

from .pages import page
from .site import Site


def examples() -> list[tuple[str, str]]:
    """(name, text) of each packaged competency question, by name."""
    folder = resources.files("conflict_ld.queries")
    return sorted((entry.name.removesuffix(".rq"), entry.read_text(encoding="utf-8"))
                  for entry in folder.iterdir() if entry.name.endswith(".rq"))


def render(site: Site) -> Response:
    queries = examples()
    first = queries[0][1] if queries else "SELECT * WHERE { ?s ?p ?o } LIMIT 10"
    listing = "".join(
        f"<details><summary>{html.escape(name)}</summary><pre>{html.escape(text)}</pre>"
        f"<form method='get' action='/sparql'><input type='hidden' name='query' value='{html.escape(text)}'>"
        "<button>Run</button></form></details>"
        for name, text in queries)
    body = (
        f"<p>SPARQL 1.1 query endpoint over release {html.escape(site.version)}. The default graph "
        "is the union of all graphs; <code>GRAPH</code> reaches each article's graph.</p>"
        "<form method='get' action='/sparql'>"
        f"<textarea name='query' rows='16' cols='100' style='width:100%'>{html.escape(first)}</textarea>"
        "<p><label>Results as <select name='format'>"
        "<option value='json'>JSON</option><option value='xml'>XML</option>"
        "<option value='csv'>CSV</option><option value='tsv'>TSV</option>"
        "<option value='turtle'>Turtle (CONSTRUCT, DESCRIBE)</option></select></label> "
        "<button>Run query</button></p></form>"
        f"<h2>Examples</h2>{listing}"
    )
    return page("SPARQL", body)
