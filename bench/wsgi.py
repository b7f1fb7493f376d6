"""A WSGI entry point for trying other WSGI servers in the benchmarks: the same app
``conflict-ld serve`` runs, for the build folder named by ``CONFLICT_LD_OUT``.

    CONFLICT_LD_OUT=BUILD .venv/bin/gunicorn -w 2 --threads 4 -b 127.0.0.1:8080 \\
        --chdir bench wsgi:app

For benchmarks only (bench/README.md, "Other WSGI servers").
"""

from __future__ import annotations

import os

from conflict_ld.server.app import create_app

app = create_app({"out": os.environ["CONFLICT_LD_OUT"]})
