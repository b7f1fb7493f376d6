"""The release a running app serves, and the backend it queries: one object per app, kept in
``app.extensions`` (no module-level state), reached from a request with ``current_site()``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from flask import Response, current_app, request

from conflict_ld.release import release_folder

from .backend import Backend

EXTENSION = "conflict_ld"
# Characters left as they are in a name's path segment (Wikipedia-title style IRIs).
SAFE = "_-.'(),!*~:@&+$;="


@dataclass
class Site:
    folder: Path  # the build folder (``OUT``)
    base: str  # the base IRI the release was minted under
    version: str
    published: datetime
    backend: Backend
    cld: str  # the ontology namespace

    @property
    def release(self) -> Path:
        return release_folder(self.folder)

    def entity_iri(self, name: str) -> str:
        return f"{self.base}resource/{quote(name, safe=SAFE)}"

    def local_path(self, iri: str) -> str | None:
        """The path this server answers an IRI of the release at, or None if not ours."""
        return "/" + iri[len(self.base):] if iri.startswith(self.base) else None

    def exists(self, iri: str) -> bool:
        return self.backend.ask(f"ASK {{ <{iri}> ?p ?o }}")

    def finish(self, response: Response, *, tag: str,
               alternates: list[tuple[str, str]] | tuple[()] = ()) -> Response:
        """Caching, CORS and links every document gets: an ETag of the release and the
        representation, Last-Modified of the release (304s follow from both), and Link
        headers naming the alternates and the dataset."""
        response.headers["Vary"] = "Accept"
        response.headers["Access-Control-Allow-Origin"] = "*"
        links = [f'<{url}>; rel="alternate"; type="{media}"' for url, media in alternates]
        links.append('</.well-known/void>; rel="http://rdfs.org/ns/void#inDataset"')
        response.headers["Link"] = ", ".join(links)
        response.set_etag(f"{self.version}-{tag}")
        response.last_modified = self.published
        return response.make_conditional(request)


def current_site() -> Site:
    return current_app.extensions[EXTENSION]
