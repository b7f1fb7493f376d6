"""``conflict-ld serve``: the Flask app under waitress, a production WSGI server."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .build import BuildError


def serve(*, data: Path, host: str, port: int, threads: int,
          app_settings: Mapping[str, Any] | None = None) -> None:
    """``app_settings``: more settings for ``create_app`` (limits, query processes, store)."""
    from waitress import serve as waitress_serve

    from conflict_ld.server.app import create_app
    from conflict_ld.server.store import DataMissing

    try:
        app = create_app({**(app_settings or {}), "out": data})
    except DataMissing as error:
        raise BuildError(str(error), path=data) from None
    base = app.config["CONFLICT_LD_BASE_URI"]
    where = f"; queries go to {app_settings['store']}" if app_settings and app_settings.get("store") else ""
    print(f"serving {data} on http://{host}:{port}/ (IRIs under {base}; SPARQL at /sparql{where})",
          file=sys.stderr, flush=True)
    waitress_serve(app, host=host, port=port, threads=threads)
