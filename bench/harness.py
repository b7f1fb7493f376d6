"""What both serving benchmarks share: servers started on free ports of 127.0.0.1 and stopped
after, wrk runs over a rotating list of request targets, and wrk's report read into numbers.

Not part of the test suite; see bench/README.md ("Serving benchmarks").
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROTATE = HERE / "wrk" / "rotate.lua"


class BenchError(RuntimeError):
    pass


def stop_on_sigterm() -> None:
    """SIGTERM ends the run like Ctrl-C, so the servers it started are stopped too."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def need(tool: str, hint: str) -> str:
    """The path of a command the benchmark needs, or a clear message saying how to get it."""
    found = shutil.which(tool) or (shutil.which(tool, path=str(Path(sys.executable).parent)))
    if not found:
        raise BenchError(f"`{tool}` not found: {hint}")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, as `uptime` prints them."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def fetch(url: str, *, accept: str | None = None, timeout: float = 60) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except TimeoutError:
        raise BenchError(f"GET {url} took longer than {timeout:g} s: too slow to benchmark") from None


def start(name: str, argv: Sequence[str], *, log: Path, stack: ExitStack,
          env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start a server process (output to ``log``); the stack stops it (SIGTERM, then SIGKILL)."""
    with log.open("wb") as out:
        proc = subprocess.Popen(list(argv), stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, **(env or {})}, start_new_session=True)
    stack.callback(_stop, proc)
    return proc


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_ready(name: str, proc: subprocess.Popen, *, url: str, log: Path, timeout: float = 900) -> None:
    """Wait until ``url`` answers (any HTTP status) or the process dies."""
    started = time.monotonic()
    while True:
        if proc.poll() is not None:
            raise BenchError(f"{name} exited with {proc.returncode} before answering; see {log}:\n"
                             + log.read_text(errors="replace")[-2000:])
        try:
            urllib.request.urlopen(url, timeout=5).close()
            break
        except urllib.error.HTTPError:
            break
        except OSError:
            if time.monotonic() - started > timeout:
                raise BenchError(f"{name} did not answer {url} within {timeout:.0f} s") from None
            time.sleep(0.25)
    print(f"{name} ready after {time.monotonic() - started:.1f} s of waiting (pid {proc.pid})", flush=True)


@contextmanager
def running(name: str, argv: Sequence[str], *, ready_url: str, log: Path,
            timeout: float = 900) -> Iterator[subprocess.Popen]:
    """A server process, waited for until ``ready_url`` answers, stopped when the block ends."""
    with ExitStack() as stack:
        proc = start(name, argv, log=log, stack=stack)
        wait_ready(name, proc, url=ready_url, log=log, timeout=timeout)
        yield proc


@dataclass
class WrkResult:
    server: str
    target: str  # what was requested (document kind or query name)
    connections: int
    requests: int
    requests_per_sec: float
    p50_ms: float | None
    p99_ms: float | None
    non_2xx: int  # wrk's "Non-2xx or 3xx responses"
    socket_errors: int  # connect + read + write + timeout
    timeouts: int
    load_before: str
    # CPU (user + system) of the server's whole process tree during the run, per request:
    # less sensitive to other jobs on the machine than the rate.
    cpu_ms_per_request: float | None = None


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if not match:
        raise BenchError(f"cannot read wrk's duration {text!r}")
    return float(match[1]) * _UNITS[match[2]]


def parse_wrk(output: str, *, server: str, target: str, connections: int, load_before: str) -> WrkResult:
    """Read wrk's report (run with --latency)."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    if not rps or not total:
        raise BenchError(f"wrk gave no report:\n{output}")
    percentiles = dict(re.findall(r"^\s+(50|99)(?:\.000)?%\s+(\S+)", output, re.M))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    counts = [int(x) for x in errors.groups()] if errors else [0, 0, 0, 0]
    done = int(total[1])
    # With no request completed, wrk prints 0.00us percentiles: there are none.
    return WrkResult(
        server=server, target=target, connections=connections, requests=done,
        requests_per_sec=float(rps[1]),
        p50_ms=_ms(percentiles["50"]) if "50" in percentiles and done else None,
        p99_ms=_ms(percentiles["99"]) if "99" in percentiles and done else None,
        non_2xx=int(non_2xx[1]) if non_2xx else 0, socket_errors=sum(counts), timeouts=counts[3],
        load_before=load_before)


def cpu_seconds(group: int) -> float:
    """User plus system CPU time so far of every process in a process group (a server and
    its workers: ``start`` makes each server lead its own group)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[2]) == group:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def wait_idle(name: str, pid: int, *, limit: float = 300) -> float:
    """Wait until a server stops using the CPU: a slow server keeps answering the requests
    wrk left behind, which would slow down whatever is measured next. Returns the wait."""
    started = time.monotonic()
    before = cpu_seconds(pid)
    while time.monotonic() - started < limit:
        time.sleep(0.5)
        now = cpu_seconds(pid)
        if now - before < 0.05:
            break
        before = now
    waited = time.monotonic() - started
    if waited > 2:
        print(f"  ({name} busy for {waited:.0f} s after the run)", flush=True)
    return waited


def write_targets(path: Path, targets: Sequence[str]) -> Path:
    """One request target (path and query string) a line, for bench/wrk/rotate.lua."""
    if not targets:
        raise BenchError("no request targets to rotate over")
    path.write_text("".join(t + "\n" for t in targets), encoding="utf-8")
    return path


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and its living descendants."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            continue
    return total / os.sysconf("SC_CLK_TCK")


def run_wrk(base_url: str, targets_file: Path, *, server: str, target: str, connections: int,
            duration: str, timeout: str, headers: Sequence[str] = (), pid: int | None = None) -> WrkResult:
    """``wrk -t2 -cN -dD --latency`` rotating over the targets of ``targets_file``. wrk needs
    at least as many connections as threads, so one connection runs one thread."""
    wrk = need("wrk", "apt-get install wrk")
    argv = [wrk, f"-t{min(2, connections)}", f"-c{connections}", f"-d{duration}", f"--timeout={timeout}",
            "--latency", "-s", str(ROTATE)]
    for header in headers:
        argv += ["-H", header]
    argv += [base_url, "--", str(targets_file)]
    load_before = load_average()
    cpu_before = process_tree_cpu(pid) if pid else 0.0
    done = subprocess.run(argv, capture_output=True, text=True)
    cpu = process_tree_cpu(pid) - cpu_before if pid else None
    if done.returncode != 0:
        raise BenchError(f"wrk failed ({done.returncode}): {done.stderr}{done.stdout}")
    result = parse_wrk(done.stdout, server=server, target=target, connections=connections,
                       load_before=load_before)
    if cpu is not None and result.requests:
        result.cpu_ms_per_request = round(1000 * cpu / result.requests, 4)
    cpu_text = f"  CPU {result.cpu_ms_per_request:.3f} ms/req" if result.cpu_ms_per_request else ""
    print(f"  {target:<14} c={connections:<3} {server:<9} {result.requests_per_sec:>9.1f} req/s  "
          f"p50 {_fmt(result.p50_ms)}  p99 {_fmt(result.p99_ms)}  non-2xx {result.non_2xx}  "
          f"socket errors {result.socket_errors}{cpu_text}", flush=True)
    return result


def warm_up(base_url: str, targets_file: Path, *, server: str, target: str, connections: int,
            duration: str, rounds: int, settled_p99_ms: float) -> list[WrkResult]:
    """Unrecorded wrk runs over the targets until one's p99 is under ``settled_p99_ms`` (at
    most ``rounds``): every server process keeps its own cache, and a run is measured only
    once each has answered every target. The warm-up runs, for the report."""
    runs: list[WrkResult] = []
    for _ in range(rounds):
        run = run_wrk(base_url, targets_file, server=server, target=f"{target} (warm-up)",
                      connections=connections, duration=duration, timeout="30s")
        runs.append(run)
        if run.p99_ms is not None and run.p99_ms < settled_p99_ms:
            break
    return runs


def _fmt(ms: float | None) -> str:
    return "-" if ms is None else f"{ms:.2f} ms"


def table(results: Sequence[WrkResult], *, servers: Sequence[str], ours: str,
          ratio_label: Callable[[str], str] = lambda peer: f"{peer} ratio") -> str:
    """A Markdown table: one row per target and concurrency, req/s and p50/p99 per server,
    and ours/peer for every peer."""
    peers = [s for s in servers if s != ours]
    head = ["target", "c"]
    with_cpu = any(r.cpu_ms_per_request for r in results)
    for s in servers:
        head += [f"{s} req/s", f"{s} p50 ms", f"{s} p99 ms", f"{s} errors"]
        head += [f"{s} CPU ms/req"] if with_cpu else []
    head += [ratio_label(p) for p in peers]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    keys = list(dict.fromkeys((r.target, r.connections) for r in results))
    by_key = {(r.target, r.connections, r.server): r for r in results}
    for target, c in keys:
        row = [target, str(c)]
        for s in servers:
            r = by_key.get((target, c, s))
            row += ([f"{r.requests_per_sec:,.0f}", _num(r.p50_ms), _num(r.p99_ms),
                     str(r.non_2xx + r.socket_errors)] if r else ["-"] * 4)
            if with_cpu:
                row.append(f"{r.cpu_ms_per_request:.3f}" if r and r.cpu_ms_per_request else "-")
        mine = by_key.get((target, c, ours))
        for p in peers:
            theirs = by_key.get((target, c, p))
            row.append(f"{mine.requests_per_sec / theirs.requests_per_sec:.2f}"
                       if mine and theirs and theirs.requests_per_sec else "-")
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def _num(ms: float | None) -> str:
    return "-" if ms is None else f"{ms:.2f}"


def find(results: Sequence[WrkResult], *, target: str, connections: int, server: str) -> WrkResult | None:
    return next((r for r in results if (r.target, r.connections, r.server) == (target, connections, server)),
                None)


def ratio(results: Sequence[WrkResult], *, target: str, connections: int, ours: str,
          peer: str) -> float | None:
    mine = find(results, target=target, connections=connections, server=ours)
    theirs = find(results, target=target, connections=connections, server=peer)
    if not mine or not theirs or not theirs.requests_per_sec:
        return None
    return mine.requests_per_sec / theirs.requests_per_sec


def server_command(template: str | None, *, out: Path, port: int, threads: int | None,
                   workers: int | None) -> list[str]:
    """Our server's command line: ``conflict-ld serve`` by default, or a template with
    ``{python}``, ``{out}`` and ``{port}`` (to try another WSGI server or a patched app)."""
    if template:
        return shlex.split(template.format(python=sys.executable, out=out, port=port))
    argv = [sys.executable, "-m", "conflict_ld.cli", "serve", "--out", str(out),
            "--host", "127.0.0.1", "--port", str(port)]
    return (argv + (["--threads", str(threads)] if threads else [])
            + (["--workers", str(workers)] if workers else []))


def write_json(path: Path, payload: dict) -> None:
    payload = {**payload, "results": [asdict(r) for r in payload.get("results", [])]}
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path}")


def concurrency_list(text: str) -> list[int]:
    values = [int(x) for x in text.split(",") if x.strip()]
    if not values or min(values) < 1:
        raise BenchError(f"--concurrency wants positive integers separated by commas, not {text!r}")
    return values
