"""Downloads for archivists: ``/dumps/`` lists every release of the build folder (HTML for
browsers, the DCAT catalogue in any RDF format by Accept), ``/dumps/{version}/`` one release,
``/dumps/{version}/{file}`` one file, with a strong ETag (its SHA-256), Last-Modified and byte
ranges. ``/dumps/latest/...`` is a 302 to the versioned URL: a versioned URL never changes
what it names, so that is the one to cite and archive.

The folder is read at each request (a new build shows up without a restart); only names the
folder and the release's ``SHA256SUMS`` hold are served (see ``releases``).
"""

from __future__ import annotations

import hashlib
import html
from datetime import datetime

from flask import Blueprint, Response, abort, current_app, redirect, request

from conflict_ld.release import DISTRIBUTIONS, LATEST

from . import catalogue, ranges
from . import negotiation as neg
from .pages import page
from .releases import Release, ReleaseCache, latest_name, open_regular, read_releases, release_names
from .site import current_site

bp = Blueprint("dumps", __name__)

LICENCE = ("<p>Licence: <a rel='license' href='https://creativecommons.org/licenses/by-sa/4.0/'>"
           "CC BY-SA 4.0</a>. The data is derived from encyclopedia articles by Wikipedia "
           "contributors; reuse must keep the licence and this attribution. Each release's "
           "<code>void.ttl</code> lists its source articles.</p>")
# Headers a script on another origin may read, so it can resume a download.
EXPOSED = "Content-Length, Content-Range, Accept-Ranges, ETag, Last-Modified, Location"
# Versioned files may change only when the same version is rebuilt (void.ttl's issue date):
# cache for an hour, then revalidate with the ETag.
FILE_CACHE = "public, max-age=3600"


def _cache() -> ReleaseCache:
    return current_app.extensions.setdefault("conflict_ld.dumps", ReleaseCache())


def _cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED
    return response


def _size(size: int) -> str:
    """The exact byte count (what a download must come to), and a rounded one to read."""
    exact = f"{size:,} bytes"
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{exact} ({size / scale:,.1f} {unit})"
    return exact


def _when(when: datetime | None) -> str:
    return when.strftime("%Y-%m-%d %H:%M:%S UTC") if when else "unknown"


def _contents(name: str) -> str:
    """What a gzipped dump holds, from the release's table of distributions."""
    dist = next((d for d in DISTRIBUTIONS if d.file_name == name), None)
    return f" ({dist.media_type}, gzipped)" if dist is not None and dist.gzipped else ""


def _release_html(release: Release, *, latest: bool) -> str:
    v = html.escape(release.version)
    rows = "".join(
        f"<tr><td><a href='/dumps/{v}/{html.escape(f.name)}' download>{html.escape(f.name)}</a></td>"
        f"<td style='text-align:right'>{_size(f.size)}</td>"
        f"<td>{html.escape(f.media_type + _contents(f.name))}</td><td><code>{f.sha256}</code></td></tr>"
        for f in release.files)
    mark = " <strong>(latest)</strong>" if latest else ""
    return (f"<section><h2 id='v{v}'><a href='/dumps/{v}/'>{v}</a>{mark}</h2>"
            f"<p>Issued {_when(release.issued)}. Check a download with <code>sha256sum -c SHA256SUMS"
            f"</code>.</p><table><tr><th>file</th><th>size</th><th>media type</th><th>SHA-256</th></tr>"
            f"{rows}</table></section>")


def _listing(releases: list[Release], latest: str | None, *, title: str, intro: str) -> Response:
    """One or more releases, negotiated: an HTML page or their DCAT description."""
    offered = (neg.PAGE, *neg.documents())
    choice = neg.negotiate(request, offered, default=neg.PAGE)
    if choice is None:
        return neg.not_acceptable(offered)
    response = Response(mimetype=choice.media_type)
    # Validators from what the listing shows: every release's checksums and which is latest.
    state = hashlib.sha256(repr([(r.version, r.files) for r in releases] + [latest]).encode())
    response.set_etag(f"{state.hexdigest()[:32]}-{choice.extension}")
    if releases:
        response.last_modified = max(r.modified for r in releases)
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = ", ".join(
        f'<{request.path}?format={r.extension}>; rel="alternate"; type="{r.media_type}"'
        for r in offered if r is not choice)
    _cors(response).make_conditional(request)
    if response.status_code != 200:  # 304 (or 412): no need to render the body
        return response
    if choice is neg.PAGE:
        sections = "".join(_release_html(r, latest=r.version == latest) for r in releases)
        alternates = " ".join(f"<a href='?format={r.extension}'>{r.extension}</a>" for r in neg.documents())
        response.set_data(page(title, f"{intro}{LICENCE}<p>DCAT description: {alternates}</p>"
                               f"{sections or '<p>No release has been published.</p>'}").get_data())
    else:
        assert choice.fmt is not None
        triples = catalogue.catalogue_triples(releases, base=current_site().base, latest=latest)
        response.set_data(catalogue.serialize(triples, choice.fmt.ox))
    return response


@bp.get("/dumps/")
def index() -> Response:
    releases, latest = read_releases(current_site().folder, _cache())
    intro = ("<p>Every published release of the dataset, newest first. A release's URL "
             "<code>/dumps/{version}/</code> never changes; <a href='/dumps/latest/'>/dumps/latest/</a> "
             "redirects to the newest. Large files can be resumed (HTTP byte ranges).</p>")
    return _listing(releases, latest, title="conflict-ld releases", intro=intro)


def _latest() -> str:
    out = current_site().folder
    latest = latest_name(out, release_names(out))
    if latest is None:
        abort(404, "no release is marked latest")
    return latest


def _to_latest(path: str) -> Response:
    response = redirect(path, 302)
    response.headers["Cache-Control"] = "no-cache"  # latest moves with every build
    return _cors(response)


def _release(version: str) -> Release:
    folder = release_names(current_site().folder).get(version)
    release = _cache().get(version, folder) if folder is not None else None
    if release is None:
        abort(404, "no such release")
    return release


@bp.get("/dumps/<version>")
def no_slash(version: str) -> Response:
    """Only a known release gets the redirect to its folder URL: garbage stays a 404."""
    if version != LATEST:
        _release(version)
    return redirect(f"/dumps/{version}/", 308)


@bp.get("/dumps/<version>/")
def one_release(version: str) -> Response:
    if version == LATEST:
        return _to_latest(f"/dumps/{_latest()}/")
    release = _release(version)
    out = current_site().folder
    latest = latest_name(out, release_names(out))
    return _listing([release], latest, title=f"conflict-ld release {release.version}",
                    intro="<p><a href='/dumps/'>All releases</a></p>")


@bp.get("/dumps/<version>/<name>")
def download(version: str, name: str) -> Response:
    if version == LATEST:
        latest = _latest()
        if _release(latest).file(name) is None:
            abort(404, "no such file in the latest release")
        return _to_latest(f"/dumps/{latest}/{name}")
    release = _release(version)
    listed = release.file(name)
    opened = open_regular(release.folder, name) if listed is not None else None
    if listed is None or opened is None:
        abort(404, "no such file in this release")
    handle, info = opened
    response = ranges.send(request, handle, size=info.st_size, media_type=listed.media_type,
                           etag=listed.sha256, modified=int(info.st_mtime))
    response.headers["Cache-Control"] = FILE_CACHE
    return _cors(response)
