"""Settings, declared once: name, default, environment variable, help, and validation.

The CLI builds its options from this table and the web app validates the same values at
start, so a bad value fails with a message naming the setting, never deep inside a request.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


class SettingsError(ValueError):
    pass


def _base_uri(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(f"must be an absolute http(s) URI, got {value!r}")
    if parts.query or parts.fragment:
        raise SettingsError(f"must have no query or fragment, got {value!r}")
    return value if value.endswith("/") else value + "/"


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise SettingsError(f"must be a number, got {value!r}") from None
    if not 0 < port < 65536:
        raise SettingsError(f"must be between 1 and 65535, got {port}")
    return port


def _whole(value: str, *, least: int, meaning: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise SettingsError(f"must be a number, got {value!r}") from None
    if number < least:
        raise SettingsError(f"must be {meaning}, got {number}")
    return number


def _positive(value: str) -> int:
    return _whole(value, least=1, meaning="at least 1")


def _count(value: str) -> int:
    return _whole(value, least=0, meaning="0 (off) or more")


def _seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise SettingsError(f"must be a number of seconds, got {value!r}") from None
    if not 0 < number < float("inf"):
        raise SettingsError(f"must be more than 0 seconds, got {value!r}")
    return number


def _endpoint(value: str) -> str:
    """An absolute http(s) URL, or empty (not used)."""
    parts = urlsplit(value)
    if value and (parts.scheme not in ("http", "https") or not parts.netloc):
        raise SettingsError(f"must be an absolute http(s) URL (or empty), got {value!r}")
    return value


def _iri(value: str) -> str:
    """An absolute IRI, or empty (not used)."""
    if value and (not urlsplit(value).scheme or any(c in value for c in '<>" {}|\\^`')):
        raise SettingsError(f"must be an absolute IRI (or empty), got {value!r}")
    return value


def _host_port(value: str) -> str:
    host, _, port = value.rpartition(":")
    if not host:
        raise SettingsError(f"must be host:port, got {value!r}")
    _port(port)
    return value


def _readers(value: str) -> int | None:
    return None if value == "auto" else _whole(value, least=0, meaning="auto, 0 (none) or more")


STORE_MODES = ("memory", "disk", "auto")


def _store_mode(value: str) -> str:
    if value not in STORE_MODES:
        raise SettingsError(f"must be one of {', '.join(STORE_MODES)}, got {value!r}")
    return value


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str
    parse: Callable[[str], Any] = str

    @property
    def env(self) -> str:
        return "CONFLICT_LD_" + self.name.upper()

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")


SETTINGS: tuple[Setting, ...] = (
    Setting("base_uri", "http://localhost:8080/",
            "base of every entity, relation and source IRI; the default is the local "
            "server's address so `serve` dereferences out of the box", _base_uri),
    Setting("seeds", "seeds", "folder of article files (*.txt) to build from", Path),
    Setting("out", "build", "folder the build writes the dataset to (replaced atomically)", Path),
    Setting("readers", "auto",
            "processes that parse the articles and read their prose while the build maps them: "
            "auto (from 64 articles on, one for each core but one, at most 2), 0 (none: all in "
            "the build's process) or a number", _readers),
    Setting("host", "127.0.0.1", "address the server listens on"),
    Setting("port", "8080", "port the server listens on", _port),
    Setting("workers", "2",
            "server processes (granian workers) answering requests; each runs its own query "
            "processes and document cache, the SPARQL rate limit is shared", _positive),
    Setting("threads", "4", "threads of each server process running the app", _positive),
    Setting("max_query_length", "100000",
            "longest SPARQL query accepted, in bytes of UTF-8 (longer: 413); 0 = no limit", _count),
    Setting("max_rows", "10000",
            "most solutions (or triples) one SPARQL answer holds; a longer result is cut and says "
            "so (header X-Result-Truncated, and \"truncated\": true in JSON); 0 = no limit", _count),
    Setting("rate_limit", "300",
            "SPARQL requests one client (remote address) may make per rate window (more: 429 with "
            "Retry-After); 0 = off", _count),
    Setting("rate_window", "60", "the rate limit's window, in seconds", _seconds),
    # Remote mode: a SPARQL 1.1 store elsewhere answers the queries instead of the embedded one.
    Setting("store", "", "SPARQL 1.1 query endpoint every query goes to, e.g. "
            "http://127.0.0.1:7878/query; empty: the embedded store", _endpoint),
    Setting("into", "", "SPARQL 1.1 Graph Store endpoint `load` puts the release into, e.g. "
            "http://127.0.0.1:7878/store or http://127.0.0.1:8890/sparql-graph-crud-auth", _endpoint),
    Setting("store_graph", "", "graph of the store holding the union of the release's graphs, "
            "sent as default-graph-uri with every query; empty: the store's default graph "
            "(Virtuoso has none: give an IRI)", _iri),
    Setting("isql", "127.0.0.1:1111", "Virtuoso's SQL address (host:port) for `load --method "
            "virtuoso-bulk`", _host_port),
    Setting("store_timeout", "60", "seconds to wait for the store's answer", _positive),
    # Credentials for the Graph Store endpoint: from the environment only, never on a command line.
    Setting("store_user", "", "user for the Graph Store endpoint (HTTP Basic or Digest)"),
    Setting("store_password", "", "password for the Graph Store endpoint"),
    # Query processes: a query past the time limit is stopped by killing its process.
    Setting("query_timeout", "20",
            "seconds a query may run; a longer one is stopped (its query process is killed) and "
            "answered 503", _seconds),
    Setting("query_workers", "2",
            "processes that run queries (a query past the timeout is stopped by killing its "
            "process); 0 runs queries in the server process, where nothing can stop them", _count),
    Setting("store_mode", "auto",
            "where the query processes' store lives: memory (each loads the release), disk (an "
            "on-disk store built once per release in OUT/.stores/ and shared read-only), auto "
            "(disk above store_threshold triples); not used with --store URL", _store_mode),
    Setting("store_threshold", "100000", "triples above which store=auto uses the on-disk store",
            _count),
    Setting("document_cache", "256",
            "MB of built data documents and pages kept in memory per server process (a release "
            "never changes while served); one document over an eighth of it is not kept; 0 = off",
            _count),
)
BY_NAME = {s.name: s for s in SETTINGS}
# The SPARQL endpoint's limits: `serve` takes them and create_app reads them.
SPARQL_LIMITS = ("max_query_length", "max_rows", "rate_limit", "rate_window")
# Remote mode: the store `serve` sends every query to.
REMOTE_STORE = ("store", "store_graph", "store_timeout")
# The embedded store's query processes, time limit and where its data lives.
QUERY_SETTINGS = ("query_timeout", "query_workers", "store_mode", "store_threshold")
# What `serve` hands the app factory.
APP = (*SPARQL_LIMITS, *REMOTE_STORE, *QUERY_SETTINGS, "document_cache")



def resolve(names: list[str], given: Mapping[str, str | None], *,
            environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Values for ``names``: an explicit value wins over the environment over the default."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for name in names:
        setting = BY_NAME[name]
        raw = given.get(name)
        origin = setting.option
        if raw is None:
            raw, origin = environ.get(setting.env), setting.env
        if raw is None:
            raw, origin = setting.default, "default"
        try:
            values[name] = setting.parse(raw)
        except SettingsError as error:
            raise SettingsError(f"{setting.name} ({origin}): {error}") from None
    return values
