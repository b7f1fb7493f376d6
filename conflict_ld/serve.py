"""``conflict-ld serve``: the Flask app under granian, a production WSGI server (HTTP in Rust),
in several worker processes that share the listening socket and the SPARQL rate limit."""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

from .build import BuildError

# Seconds a worker has to finish its requests once told to stop, before it is killed: a
# stop (SIGTERM, Ctrl-C) must end the server even when a worker does not answer it.
SHUTDOWN_GRACE = 5


def serve(*, data: Path, host: str, port: int, workers: int, threads: int,
          app_settings: Mapping[str, Any] | None = None) -> None:
    """``app_settings``: more settings for ``create_app`` (limits, query processes, store).
    Each of the ``workers`` processes builds its own app (and its own query processes) from
    them; one rate table on disk is shared by all."""
    from granian import Granian
    from granian.constants import Interfaces

    from conflict_ld.server.app import check_settings, create_app
    from conflict_ld.server.store import DataMissing

    settings = {**(app_settings or {}), "out": data}
    try:
        # Checked here, once, so a bad setting or a missing release fails before any worker starts.
        base = check_settings(settings)
    except DataMissing as error:
        raise BuildError(str(error), path=data) from None
    where = f"; queries go to {settings['store']}" if settings.get("store") else ""
    print(f"serving {data} on http://{host}:{port}/ with {workers} worker process(es) (IRIs under "
          f"{base}; SPARQL at /sparql{where})", file=sys.stderr, flush=True)
    run = Path(tempfile.mkdtemp(prefix="conflict-ld-serve-"))
    try:
        loader = partial(create_app, settings, rate_table=run / "rate-table")
        server = Granian(target="conflict_ld.server.app:create_app", address=host, port=port,
                        interface=Interfaces.WSGI, workers=workers, blocking_threads=threads,
                        log_level="warning", respawn_failed_workers=True,
                        workers_kill_timeout=SHUTDOWN_GRACE)
        # A partial, not a closure: where granian spawns its workers rather than forking them
        # (Python 3.14 and later), the loader is pickled into each.
        server.serve(target_loader=loader, wrap_loader=False)
    finally:
        shutil.rmtree(run, ignore_errors=True)
