"""The releases of a build folder as the dumps routes see them, read defensively: a path from a
request never reaches the file system. A release is a real folder ``OUT/<version>/`` (not a
link) holding a ``SHA256SUMS``; the files it offers are exactly the regular files that
``SHA256SUMS`` lists, plus ``SHA256SUMS`` itself. Names are compared with what the folder and
that list hold, files are opened without following links (``O_NOFOLLOW`` relative to the
release folder), so ``..``, absolute paths, links pointing outside and device files are never
served."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from conflict_ld.formats import file_media_type
from conflict_ld.release import LATEST
from conflict_ld.resources import prefixes

SUMS = "SHA256SUMS"
VOID = "void.ttl"
# One plain path segment: what a release version or a release file may be called.
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
SUM_LINE = re.compile(r"([0-9a-f]{64}) [ *](.+)")
# Release metadata is small; a bigger "SHA256SUMS" or "void.ttl" is not ours to parse.
METADATA_LIMIT = 4 * 1024 * 1024


@dataclass(frozen=True)
class ReleaseFile:
    name: str
    size: int
    sha256: str
    modified: datetime

    @property
    def media_type(self) -> str:
        return file_media_type(self.name)


@dataclass(frozen=True)
class Release:
    version: str
    folder: Path
    issued: datetime | None  # the VoID's dct:issued
    files: tuple[ReleaseFile, ...]  # in name order, SHA256SUMS last
    void: tuple[ox.Triple, ...]  # the release's own void.ttl (empty when it has none or it is not Turtle)

    def file(self, name: str) -> ReleaseFile | None:
        return next((f for f in self.files if f.name == name), None)

    @property
    def modified(self) -> datetime:
        return max(f.modified for f in self.files)


def release_names(out: Path) -> dict[str, Path]:
    """Every release folder of a build folder by version (or the folder itself, when it is
    one release rather than a build folder)."""
    found: dict[str, Path] = {}
    try:
        entries = list(os.scandir(out))
    except OSError:
        return found
    for entry in entries:
        if (entry.name != LATEST and NAME.fullmatch(entry.name)
                and entry.is_dir(follow_symlinks=False)):
            found[entry.name] = Path(entry.path)
    if not found and (out / SUMS).is_file() and NAME.fullmatch(out.name):
        found[out.name] = out
    return found


def latest_name(out: Path, names: dict[str, Path]) -> str | None:
    """The version ``OUT/latest`` names, if it is one of the releases (a link elsewhere is
    not followed)."""
    try:
        target = os.readlink(out / LATEST)
    except OSError:
        return next(iter(names)) if len(names) == 1 else None
    return target if target in names else None


def open_regular(folder: Path, name: str) -> tuple[BinaryIO, os.stat_result] | None:
    """``folder/name`` opened for reading if it is a regular file reached without following a
    link (neither the folder's last step nor the file may be a link), else None."""
    if not NAME.fullmatch(name):
        return None
    try:
        folder_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        # O_NONBLOCK: opening a FIFO planted in the folder must not hang the worker.
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=folder_fd)
    except OSError:
        return None
    finally:
        os.close(folder_fd)
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        return None
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb"), info


def _read_small(folder: Path, name: str) -> bytes | None:
    opened = open_regular(folder, name)
    if opened is None:
        return None
    handle, info = opened
    with handle:
        return handle.read(METADATA_LIMIT) if info.st_size <= METADATA_LIMIT else None


def _parse_void(void: bytes | None) -> tuple[ox.Triple, ...]:
    try:
        return tuple(ox.parse(void, format=ox.RdfFormat.TURTLE)) if void else ()
    except (SyntaxError, ValueError):
        return ()


def _issued(triples: tuple[ox.Triple, ...]) -> datetime | None:
    dct, rdf, dcat = (prefixes()[p] for p in ("dct", "rdf", "dcat"))
    datasets = {t.subject for t in triples
                if t.predicate.value == f"{rdf}type" and t.object.value == f"{dcat}Dataset"}
    for t in triples:
        if t.subject in datasets and t.predicate.value == f"{dct}issued":
            try:
                when = datetime.fromisoformat(t.object.value.replace("Z", "+00:00"))
            except ValueError:
                return None
            return when if when.tzinfo else when.replace(tzinfo=UTC)
    return None


class ReleaseCache:
    """Releases already read, by their ``SHA256SUMS``'s identity (inode, size, change time):
    a published release does not change in place (a rebuild writes a new folder and renames
    it), so the index need not reparse a hundred VoID files at every request. One per app."""

    LIMIT = 10_000

    def __init__(self) -> None:
        self._known: dict[tuple, Release] = {}

    def get(self, version: str, folder: Path) -> Release | None:
        try:
            info = os.stat(folder / SUMS, follow_symlinks=False)
        except OSError:
            return None
        key = (version, str(folder), info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
        release = self._known.get(key)
        if release is None:
            release = read_release(version, folder)
            if release is not None:
                if len(self._known) >= self.LIMIT:
                    self._known.clear()
                self._known[key] = release
        return release


def read_release(version: str, folder: Path) -> Release | None:
    """A release as its ``SHA256SUMS`` describes it, or None when it has no readable one.
    A listed file that is missing, a link or not a regular file is left out."""
    sums = _read_small(folder, SUMS)
    if sums is None:
        return None
    listed: dict[str, str] = {}
    for line in sums.decode("utf-8", "replace").splitlines():
        match = SUM_LINE.fullmatch(line)
        if match and NAME.fullmatch(match[2]) and match[2] != SUMS:
            listed[match[2]] = match[1]
    listed[SUMS] = hashlib.sha256(sums).hexdigest()
    files = []
    for name in sorted(listed, key=lambda n: (n == SUMS, n)):
        try:
            info = os.stat(folder / name, follow_symlinks=False)
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode):
            files.append(ReleaseFile(name, info.st_size, listed[name],
                                     datetime.fromtimestamp(int(info.st_mtime), tz=UTC)))
    void = _parse_void(_read_small(folder, VOID) if VOID in listed else None)
    return Release(version, folder, _issued(void), tuple(files), void)


def read_releases(out: Path, cache: ReleaseCache) -> tuple[list[Release], str | None]:
    """Every readable release, newest first (by issue date, then by folder time), and the
    version ``latest`` points at."""
    names = release_names(out)
    releases = [r for v, f in names.items() if (r := cache.get(v, f)) is not None]
    oldest = datetime.min.replace(tzinfo=UTC)
    releases.sort(key=lambda r: (r.issued or oldest, r.modified, r.version), reverse=True)
    latest = latest_name(out, names)
    return releases, latest if any(r.version == latest for r in releases) else None
