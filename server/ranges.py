"""Serving a file whole or in byte ranges (RFC 9110 sections 13-14), so a large download can
resume: ``Range: bytes=...`` with one range gives 206 and ``Content-Range``, several give
206 ``multipart/byteranges``, none satisfiable gives 416 with ``Content-Range: bytes */size``;
``If-Range`` with a different validator gives the whole file. A Range header this module does
not understand (another unit, bad syntax) is ignored and the whole file sent, as RFC 9110
allows; so are more than ``MAX_RANGES`` ranges (overlapping and adjacent ones are merged
first), which keeps a request for thousands of tiny ranges from costing more than the file.

Werkzeug's own range support answers a multi-range request and a malformed Range with 416;
this is why ranges are handled here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from flask import Request, Response
from werkzeug.http import http_date, parse_date

MAX_RANGES = 16
CHUNK = 64 * 1024
_SPEC = re.compile(r"\s*(\d*)\s*-\s*(\d*)\s*")


def parse_ranges(header: str, size: int) -> list[tuple[int, int]] | None:
    """The satisfiable ranges of a ``Range`` header as (start, end exclusive), merged and in
    order; ``[]`` when none is satisfiable; None when the header is to be ignored."""
    unit, sep, specs = header.partition("=")
    if not sep or unit.strip().lower() != "bytes":
        return None
    ranges = []
    for spec in specs.split(","):
        if not spec.strip():
            continue  # RFC 9110 list syntax allows empty elements
        match = _SPEC.fullmatch(spec)
        if not match or not (match[1] or match[2]):
            return None
        first, last = match[1], match[2]
        if first:
            start = int(first)
            end = min(int(last) + 1, size) if last else size
            if last and int(last) < start:
                return None
        else:  # a suffix: the last N bytes
            start, end = max(size - int(last), 0), size
            if int(last) == 0:
                continue
        if start < size:
            ranges.append((start, end))
    if not ranges and not any(s.strip() for s in specs.split(",")):
        return None
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _if_range_holds(request: Request, *, etag: str, modified: int) -> bool:
    value = request.headers.get("If-Range")
    if value is None:
        return True
    value = value.strip()
    if value.startswith(('"', "W/")):
        return value == f'"{etag}"'  # only a strong, equal tag (weak tags never match)
    when = parse_date(value)
    return when is not None and int(when.timestamp()) == modified


def _read(handle: BinaryIO, start: int, length: int) -> Iterator[bytes]:
    handle.seek(start)
    while length > 0:
        chunk = handle.read(min(CHUNK, length))
        if not chunk:
            return
        length -= len(chunk)
        yield chunk


def send(request: Request, handle: BinaryIO, *, size: int, media_type: str, etag: str,
         modified: int) -> Response:
    """``handle`` (an open file of ``size`` bytes) as a response to ``request``: 304/412 from
    the validators, else 200, 206 or 416 from the Range header. The response closes the
    file."""
    headers = {"Accept-Ranges": "bytes", "Last-Modified": http_date(modified)}
    response = Response(status=200, headers=headers, mimetype=media_type, direct_passthrough=True)
    response.set_etag(etag)
    response.call_on_close(handle.close)
    response.make_conditional(request)  # 304 for If-None-Match / If-Modified-Since, 412 for If-Match
    if response.status_code != 200:
        return response
    ranges = None
    # RFC 9110 defines ranges for GET only: HEAD gets the whole file's headers.
    if request.method == "GET" and "Range" in request.headers and _if_range_holds(
            request, etag=etag, modified=modified):
        ranges = parse_ranges(request.headers["Range"], size)
    if ranges is not None and len(ranges) > MAX_RANGES:
        ranges = None
    if ranges is None or ranges == [(0, size)]:
        response.response = _read(handle, 0, size)
        response.content_length = size
    elif not ranges:
        response.status_code = 416
        response.headers["Content-Range"] = f"bytes */{size}"
        response.mimetype = "text/plain"
        response.response = [b"416 Range Not Satisfiable\n"]
        response.content_length = len(response.response[0])
    elif len(ranges) == 1:
        (start, end), = ranges
        response.status_code = 206
        response.headers["Content-Range"] = f"bytes {start}-{end - 1}/{size}"
        response.response = _read(handle, start, end - start)
        response.content_length = end - start
    else:
        boundary = f"cld-{etag[:32]}"
        parts = [(f"--{boundary}\r\nContent-Type: {media_type}\r\n"
                  f"Content-Range: bytes {start}-{end - 1}/{size}\r\n\r\n").encode("ascii")
                 for start, end in ranges]
        closing = f"\r\n--{boundary}--\r\n".encode("ascii")

        def body() -> Iterator[bytes]:
            for index, ((start, end), head) in enumerate(zip(ranges, parts, strict=True)):
                yield (b"\r\n" if index else b"") + head
                yield from _read(handle, start, end - start)
            yield closing

        response.status_code = 206
        response.response = body()
        response.content_type = f"multipart/byteranges; boundary={boundary}"
        response.content_length = (sum(len(p) for p in parts) + 2 * (len(parts) - 1) + len(closing)
                                   + sum(end - start for start, end in ranges))
    return response
