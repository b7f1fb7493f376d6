"""The on-disk Oxigraph store of a release, built once and shared read-only by query processes.

It lives beside the releases, in ``OUT/.stores/<version>/`` (a release folder stays exactly the
files its ``SHA256SUMS`` lists). It is built in a staging folder and renamed into place, with a
``store.json`` stamp written last, so a store a killed run left half-built is never opened: a
folder without a matching stamp is removed and built again. Builders take a lock, so two
servers starting together build it once.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from .store import dataset_dump, fill_store

STORES = ".stores"
STAMP = "store.json"
DATABASE = "db"
STAGING_PREFIX = ".building-"
# Bumped when the layout of a store changes (what the default graph holds, the stamp...).
LAYOUT = 1


def store_root(release: Path) -> Path:
    """Where the on-disk stores of a release's build folder live."""
    return release.parent / STORES


def _dump_digest(dump: Path) -> str:
    """The dataset's SHA-256, from the release's checksum list when it has one."""
    sums = dump.parent / "SHA256SUMS"
    if sums.is_file():
        for line in sums.read_text(encoding="utf-8").splitlines():
            digest, _, name = line.partition("  ")
            if name.strip() == dump.name:
                return digest
    with dump.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _stamp(dump: Path) -> dict[str, object]:
    """What a usable store must have been built from (the data, the store's library, the layout)."""
    return {"dataset_sha256": _dump_digest(dump), "pyoxigraph": ox.__version__, "layout": LAYOUT}


def _matches(folder: Path, stamp: dict[str, object]) -> bool:
    try:
        found = json.loads((folder / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(found, dict) and all(found.get(k) == v for k, v in stamp.items()) \
        and (folder / DATABASE).is_dir()


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _build(dump: Path, into: Path) -> int:
    """Bulk load, materialise the union, compact; the store is closed when this returns."""
    store = ox.Store(str(into))
    fill_store(store, dump)
    store.optimize()
    store.flush()
    quads = len(store)
    del store  # closes the database before its folder is renamed
    return quads


def disk_store(folder: Path) -> Path:
    """The on-disk store of the latest release of ``folder`` (a build or a release folder),
    built if it is missing, stale or incomplete. Returns the database folder to open with
    ``Store.read_only``. Stores of releases that no longer exist are removed."""
    dump = dataset_dump(folder)
    release = dump.parent
    root = store_root(release)
    root.mkdir(exist_ok=True)
    target = root / release.name
    stamp = _stamp(dump)
    if _matches(target, stamp):
        return target / DATABASE
    with _locked(root / ".lock"):
        if _matches(target, stamp):  # another process built it while we waited
            return target / DATABASE
        # Under the lock nobody else is building: any staging folder is a killed run's.
        for stale in root.glob(STAGING_PREFIX + "*"):
            shutil.rmtree(stale, ignore_errors=True)
        for old in root.iterdir():
            if old.is_dir() and not old.name.startswith(".") and not (release.parent / old.name).is_dir():
                shutil.rmtree(old, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
        try:
            quads = _build(dump, staging / DATABASE)
            (staging / STAMP).write_text(json.dumps({**stamp, "quads": quads}, indent=1) + "\n",
                                         encoding="utf-8")
            if target.exists():
                shutil.rmtree(target)
            os.rename(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return target / DATABASE
