"""``conflict-ld load --into URL``: the latest release into a SPARQL 1.1 store, through the Graph
Store HTTP Protocol (any store), or through Virtuoso's bulk loader (``load_virtuoso_bulk``).

Every named graph of ``dataset.nq.gz`` is PUT under its own name (``Content-Type:
application/n-triples``), then the union of them (``union.nt.gz``, each triple once) into the
store's default graph, or into the named graph ``graph`` for a store without one (Virtuoso), so
queries without a dataset see what the embedded server's default graph holds. PUT replaces a
graph: loading the same release twice leaves the store as after once.
"""

from __future__ import annotations

import base64
import gzip
import shutil
import subprocess
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from .release import release_folder

NT = "application/n-triples"


class LoadError(RuntimeError):
    pass


@dataclass(frozen=True)
class Loaded:
    graphs: int  # named graphs put
    triples: int  # in them
    union: int  # triples in the union graph


def graph_url(endpoint: str, graph: str | None) -> str:
    """The Graph Store URL of a graph (indirect identification, ``?graph=``), or of the
    default graph when ``graph`` is None."""
    joiner = "&" if "?" in endpoint else "?"
    if graph is None:
        return f"{endpoint}{joiner}default"
    return f"{endpoint}{joiner}graph={quote(graph, safe='')}"


class _Client:
    """PUTs with credentials sent up front: a store that answers 401 while a large body is still
    being sent closes the connection (a broken pipe), so the challenge is fetched once, with a
    HEAD, and every PUT carries its answer (Digest, which Virtuoso's
    /sparql-graph-crud-auth asks for, or Basic)."""

    def __init__(self, endpoint: str, *, user: str, password: str, timeout: float) -> None:
        self.user, self.password, self.timeout = user, password, timeout
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, endpoint.split("?")[0], user, password)
        self._digest = urllib.request.HTTPDigestAuthHandler(passwords)
        self._challenge: dict[str, str] | None = None
        self._scheme = ""

    def _learn(self, url: str) -> None:
        try:
            with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"),
                                        timeout=self.timeout) as response:
                response.read()
            return  # no challenge: the endpoint is open
        except urllib.error.HTTPError as error:
            header = error.headers.get("WWW-Authenticate") or ""
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise LoadError(f"cannot reach the Graph Store endpoint {url}: {reason}") from None
        self._scheme, _, rest = header.partition(" ")
        self._challenge = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))

    def _authorize(self, request: urllib.request.Request) -> None:
        if self._scheme.lower() == "digest" and self._challenge is not None:
            value = self._digest.get_authorization(request, self._challenge)
            if value:
                request.add_unredirected_header("Authorization", f"Digest {value}")
        else:
            token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii")
            request.add_unredirected_header("Authorization", f"Basic {token}")

    def put(self, url: str, body: bytes, *, what: str) -> None:
        if self.user and not self._scheme:
            self._learn(url)
        request = urllib.request.Request(url, data=body, method="PUT", headers={"Content-Type": NT})
        if self.user:
            self._authorize(request)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except urllib.error.HTTPError as error:
            excerpt = " ".join(error.read().decode("utf-8", "replace").split())[:300]
            hint = (" (give credentials in CONFLICT_LD_STORE_USER and CONFLICT_LD_STORE_PASSWORD)"
                    if error.code in (401, 403) else "")
            raise LoadError(f"PUT {what} to {url}: the store answered {error.code} {error.reason}: "
                            f"{excerpt}{hint}") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise LoadError(f"cannot reach the Graph Store endpoint {url}: {reason}") from None


def _graphs(dump: Path) -> dict[str, list[ox.Triple]]:
    graphs: dict[str, list[ox.Triple]] = {}
    with gzip.open(dump, "rb") as handle:
        for quad in ox.parse(handle, format=ox.RdfFormat.N_QUADS):
            # A quad in the dataset's default graph is in the union, which goes there anyway.
            if isinstance(quad.graph_name, ox.NamedNode):
                graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
    return graphs


def load(*, out: Path, into: str, graph: str = "", user: str = "", password: str = "",
         timeout: float = 600.0, progress: Callable[[str], None] = lambda _: None) -> Loaded:
    """Put the latest release of the build folder ``out`` into the Graph Store endpoint ``into``."""
    release = release_folder(out)
    dump, union = release / "dataset.nq.gz", release / "union.nt.gz"
    for path in (dump, union):
        if not path.is_file():
            raise LoadError(f"no {path.name} in {release}: run `conflict-ld build --out {out}` first")
    client = _Client(into, user=user, password=password, timeout=timeout)
    graphs = _graphs(dump)
    triples = 0
    for number, (name, content) in enumerate(sorted(graphs.items()), start=1):
        progress(f"PUT <{name}>: {len(content)} triples ({number}/{len(graphs) + 1})")
        client.put(graph_url(into, name), ox.serialize(content, format=ox.RdfFormat.N_TRIPLES),
                   what=f"graph <{name}>")
        triples += len(content)
    body = gzip.decompress(union.read_bytes())
    count = body.count(b"\n")
    target = graph or None
    progress(f"PUT the union of the graphs into {f'<{graph}>' if graph else 'the default graph'}: "
             f"{count} triples ({len(graphs) + 1}/{len(graphs) + 1})")
    try:
        client.put(graph_url(into, target), body, what="the union")
    except LoadError as error:
        hint = "" if graph else (" (a store without a default graph, such as Virtuoso, needs "
                                 "--store-graph IRI, the graph to hold the union)")
        raise LoadError(f"{error}{hint}") from None
    return Loaded(graphs=len(graphs), triples=triples, union=count)


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def load_virtuoso_bulk(*, out: Path, isql: str, graph: str, user: str, password: str,
                       progress: Callable[[str], None] = lambda _: None) -> Loaded:
    """The same result through Virtuoso's bulk loader (``ld_dir``, ``rdf_loader_run``), the way
    DBpedia is loaded: Virtuoso reads the release's files itself, so they must be on its machine,
    in a folder its ``DirsAllowed`` lists. Each graph is cleared first (the loader adds; it never
    replaces), so a re-load leaves the store as after one load."""
    release = release_folder(out).resolve()
    dump, union = release / "dataset.nq.gz", release / "union.nt.gz"
    for path in (dump, union):
        if not path.is_file():
            raise LoadError(f"no {path.name} in {release}: run `conflict-ld build --out {out}` first")
    if not graph:
        raise LoadError("Virtuoso has no default graph of its own: give --store-graph IRI, the graph "
                        "to hold the union of the release's graphs")
    if not user:
        raise LoadError("give Virtuoso's SQL user in CONFLICT_LD_STORE_USER and its password in "
                        "CONFLICT_LD_STORE_PASSWORD")
    binary = shutil.which("isql-vt") or shutil.which("isql")
    if binary is None:
        raise LoadError("isql-vt (Virtuoso's SQL client, Debian package virtuoso-opensource) is missing")
    graphs = _graphs(dump)
    triples = sum(len(t) for t in graphs.values())
    count = gzip.decompress(union.read_bytes()).count(b"\n")
    folder = _sql_string(str(release))
    script = ["log_enable(3,1);"]  # autocommit without a transaction log: a bulk load's mode
    script += [f"SPARQL CLEAR GRAPH <{name}>;" for name in (*sorted(graphs), graph)]
    script += [
        f"DELETE FROM DB.DBA.load_list WHERE ll_file LIKE {_sql_string(str(release) + '/%')};",
        # N-Quads carry their graphs; the loader's graph argument is only a fallback for them.
        f"ld_dir({folder}, 'dataset.nq.gz', {_sql_string(graph)});",
        f"ld_dir({folder}, 'union.nt.gz', {_sql_string(graph)});",
        "rdf_loader_run();",
        "checkpoint;",
        f"SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_file LIKE "
        f"{_sql_string(str(release) + '/%')} AND ll_error IS NOT NULL;",
    ]
    progress(f"bulk loading {len(graphs)} graphs ({triples} triples) and their union ({count} triples) "
             f"from {release} through {isql}")
    try:
        done = subprocess.run([binary, isql, user, password], input="\n".join(script) + "\n",
                              capture_output=True, text=True, timeout=24 * 3600, check=False)
    except OSError as error:
        raise LoadError(f"cannot run {binary}: {error}") from None
    output = done.stdout + done.stderr
    if done.returncode != 0 or "*** Error" in output or "0 Rows." not in output:
        lines = [line for line in output.splitlines() if line.strip() and not line.startswith("SQL>")]
        raise LoadError(f"Virtuoso's bulk load through {isql} failed: " + " ".join(lines[-8:])[:600])
    return Loaded(graphs=len(graphs), triples=triples, union=count)
