"""``conflict-ld serve``: the Flask app under waitress, a production WSGI server."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .build import BuildError


def serve(*, data: Path, host: str, port: int, threads: int,
          options: Mapping[str, Any] | None = None) -> None:
    """``options``: more settings for ``create_app`` (query processes, time limit, store)."""
    from waitress import serve as waitress_serve

    from conflict_ld.server.app import create_app
    from conflict_ld.server.store import DataMissing

    try:
        app = create_app({**(options or {}), "out": data})
    except DataMissing as error:
        raise BuildError(str(error), path=data) from None
    base = app.config["CONFLICT_LD_BASE_URI"]
    print(f"serving {data} on http://{host}:{port}/ (IRIs under {base}; SPARQL at /sparql)",
          file=sys.stderr, flush=True)
    waitress_serve(app, host=host, port=port, threads=threads)
