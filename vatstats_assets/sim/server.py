"""The simulator over HTTP: `/status.json` and `/v3/vatsim-data.json` on a local port.

The data URL behaves as a CDN in front of the real feed would: ETag and Last-Modified on every
snapshot, 304 for a matching If-None-Match / If-Modified-Since, and a single byte Range answered
with 206. Every response is counted by path and status, with its body bytes (`traffic()`, and
`/stats` as JSON), so tests and benchmarks can say how much a client downloaded.

`/v3/transceivers-data.json` serves the transceivers feed of the same tick as the data URL (built
once per tick); `/status.json` lists it under `data.transceivers`.

Simulated time runs `speed` times faster than the wall clock from `start`; the data URL serves
the newest 15 s snapshot at the current simulated instant. A background clock thread advances
the simulation every snapshot interval, so the ground-truth file grows as time passes even
when nobody polls. Everything runs in daemon threads; `stop()` wakes any request that a fault
mode is holding back.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import IO
from urllib.parse import parse_qs, urlsplit

import orjson

from vatstats_assets.core.airspace import Airspace
from vatstats_assets.sim import faults
from vatstats_assets.sim.errors import SimulatorError
from vatstats_assets.sim.simulation import Simulation
from vatstats_assets.sim.snapshot import SNAPSHOT_INTERVAL_S, Tick
from vatstats_assets.sim.truth import GroundTruth

STATUS_PATH = "/status.json"
DATA_PATH = "/v3/vatsim-data.json"
TRANSCEIVERS_PATH = "/v3/transceivers-data.json"
STATS_PATH = "/stats"  # the traffic counters; not counted itself

_SINGLE_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


class _SnapshotBodies:
    """The newest snapshot's JSON (and gzip) bytes, built once per tick whatever the request rate."""

    def __init__(self) -> None:
        self.tick_index = -1
        self.json = b""
        self.etag = ""
        self.last_modified = ""
        self.modified_epoch = 0
        self._gzip: bytes | None = None

    def set(self, tick: Tick, body: bytes) -> None:
        self.tick_index = tick.index
        self.json = body
        self.etag = f'"{hashlib.blake2b(body, digest_size=8).hexdigest()}"'
        self.modified_epoch = int(tick.epoch)  # HTTP dates have whole seconds; snapshots are 15 s apart
        self.last_modified = formatdate(self.modified_epoch, usegmt=True)
        self._gzip = None

    def gzipped(self) -> bytes:
        if self._gzip is None:
            self._gzip = gzip.compress(self.json, compresslevel=5, mtime=0)
        return self._gzip


@dataclass(frozen=True)
class _Representation:
    """One snapshot as served in one content coding, with its validators."""

    body: bytes
    encoding: str | None
    etag: str  # strong, and distinct per coding (the bytes differ), as Apache and nginx do
    last_modified: str
    modified_epoch: int


class SimulatorServer:
    """A running simulated feed; use as a context manager (`with SimulatorServer(port=0) as sim:`)."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 8765,
        speed: float = 1.0,
        pilots: int = 1500,
        controllers: int | None = None,
        seed: int = 7,
        start: datetime | None = None,
        truth_path: str | Path | None = None,
        fault: str | None = None,
        verbose: bool = False,
        log: IO[str] | None = None,
        slow_delay_s: float = faults.SLOW_DELAY_S,
        timeout_delay_s: float = faults.TIMEOUT_DELAY_S,
        airspace: Airspace | None = None,
    ) -> None:
        if speed <= 0:
            raise SimulatorError("speed must be a positive number of simulated seconds per real second")
        self.host = host
        self.requested_port = port
        self.speed = float(speed)
        self.verbose = verbose
        # The `slow` and `timeout` delays; tests shorten them to keep the suite fast.
        self.slow_delay_s = slow_delay_s
        self.timeout_delay_s = timeout_delay_s
        self.log = log or sys.stderr
        self._fault = faults.check_fault(fault)
        # Without a start, simulated time begins now, so at --speed 1 a snapshot's update_timestamp is
        # the moment it appears (freshness measurements depend on it). The simulation's window starts
        # at the last 15 s boundary; _lead_s is how far into it "now" already is.
        self._follows_wall_clock = start is None
        if start is None:
            now = datetime.now(UTC)
            start = now.replace(second=now.second - now.second % 15, microsecond=0)
        self._lead_s = 0.0
        # With an airspace, the ground truth also gets every connection's sector stays (sim/sector_truth.py).
        self.simulation = Simulation(start=start, pilots=pilots, seed=seed, controllers=controllers, airspace=airspace)
        self._truth_path = truth_path
        self.truth: GroundTruth | None = None
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._bodies = _SnapshotBodies()
        self._transceivers: tuple[int, bytes] = (-1, b"")
        self._httpd: ThreadingHTTPServer | None = None
        self._traffic_lock = threading.Lock()
        self._traffic: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
        self._threads: list[threading.Thread] = []
        self._started_at = 0.0

    # ----- lifecycle ---------------------------------------------------------------------------
    def start(self) -> SimulatorServer:
        try:
            httpd = ThreadingHTTPServer((self.host, self.requested_port), _handler_for(self))
        except OSError as error:
            raise SimulatorError(
                f"cannot listen on {self.host}:{self.requested_port} ({error.strerror or error}); "
                "is the port already in use?"
            ) from error
        httpd.daemon_threads = True
        httpd.block_on_close = False
        self._httpd = httpd
        if self._truth_path is not None:
            try:
                self.truth = GroundTruth(self._truth_path)
            except OSError as error:
                httpd.server_close()
                reason = error.strerror or error
                raise SimulatorError(f"cannot write the ground truth to {self._truth_path} ({reason})") from error
        self._started_at = time.monotonic()
        if self._follows_wall_clock:
            self._lead_s = datetime.now(UTC).timestamp() - self.simulation.window_start
        self._threads = [
            threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, name="sim-http", daemon=True),
            threading.Thread(target=self._run_clock, name="sim-clock", daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close the ground truth (controller sessions still open end now)."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        with self._lock:
            if self.truth is not None:
                self.simulation.finish(self.current_tick().epoch, self.truth)
                self.truth.close()

    def __enter__(self) -> SimulatorServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def wait(self) -> None:
        """Block until stop() is called (or Ctrl+C raises KeyboardInterrupt in the caller)."""
        while not self._stopping.wait(0.5):
            pass

    # ----- what tests ask -----------------------------------------------------------------------
    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the simulator server is not started")
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def status_url(self) -> str:
        return self.base_url + STATUS_PATH

    @property
    def data_url(self) -> str:
        return self.base_url + DATA_PATH

    @property
    def transceivers_url(self) -> str:
        return self.base_url + TRANSCEIVERS_PATH

    def set_fault(self, mode: str | None) -> None:
        """Apply a fault mode to every data request from now on (None: behave)."""
        self._fault = faults.check_fault(mode)

    @property
    def fault(self) -> str | None:
        """The fault mode of the next data request (read once per data request)."""
        return self._fault

    @property
    def transceivers_fault(self) -> str | None:
        """The fault mode of the next transceivers request: a separate hook, so a subclass that scripts
        or counts data requests (the reliability tests' SteppedSimulator) sees only those."""
        return self._fault

    def traffic(self) -> dict[str, dict[str, dict[str, int]]]:
        """Responses so far: {path: {status: {"requests": n, "bytes": body bytes sent}}}."""
        with self._traffic_lock:
            counted = {key: tuple(value) for key, value in self._traffic.items()}
        paths: dict[str, dict[str, dict[str, int]]] = {}
        for (path, status), (requests, sent) in sorted(counted.items()):
            paths.setdefault(path, {})[str(status)] = {"requests": requests, "bytes": sent}
        return paths

    def count(self, path: str, status: int, body_bytes: int) -> None:
        with self._traffic_lock:
            entry = self._traffic[(path, status)]
            entry[0] += 1
            entry[1] += body_bytes

    def current_tick(self) -> Tick:
        elapsed = (time.monotonic() - self._started_at) * self.speed if self._started_at else 0.0
        return self.simulation.tick_at(self.simulation.window_start + self._lead_s + elapsed)

    def current_update_timestamp(self) -> datetime:
        """update_timestamp of the snapshot the data URL serves now (microseconds; the 7th digit dropped)."""
        return self.current_tick().moment

    # ----- internals -----------------------------------------------------------------------------
    def _run_clock(self) -> None:
        interval = max(0.02, SNAPSHOT_INTERVAL_S / self.speed)
        while not self._stopping.wait(interval):
            tick = self.current_tick()
            with self._lock:
                self.simulation.advance_to(tick.epoch, self.truth)

    def snapshot_body(self, offset: int = 0) -> tuple[Tick, bytes]:
        """JSON bytes of the current snapshot, or of the one `offset` snapshots earlier."""
        current = self.current_tick()
        with self._lock:
            if offset == 0:
                if self._bodies.tick_index != current.index:
                    snapshot = self.simulation.snapshot(current, self.truth)
                    self._bodies.set(current, orjson.dumps(snapshot))
                return current, self._bodies.json
            self.simulation.advance_to(current.epoch, self.truth)
            tick = self.simulation.tick(max(0, current.index - offset))
            return tick, orjson.dumps(self.simulation.snapshot(tick, self.truth))

    def transceivers_body(self) -> tuple[Tick, bytes]:
        """JSON bytes of the transceivers feed at the current tick (the data URL's tick)."""
        current = self.current_tick()
        with self._lock:
            if self._transceivers[0] != current.index:
                self._transceivers = (current.index, orjson.dumps(self.simulation.transceivers(current, self.truth)))
            return current, self._transceivers[1]

    def current_snapshot(self) -> dict:
        with self._lock:
            tick = self.current_tick()
            return self.simulation.snapshot(tick, self.truth)

    def gzipped_current(self) -> bytes:
        with self._lock:
            return self._bodies.gzipped()

    def current_representation(self, *, gzipped: bool) -> _Representation:
        """The current snapshot in one coding, with its ETag and Last-Modified, under one lock."""
        self.snapshot_body()
        with self._lock:
            bodies = self._bodies
            if gzipped:
                return _Representation(bodies.gzipped(), "gzip", bodies.etag[:-1] + '-gzip"',
                                       bodies.last_modified, bodies.modified_epoch)
            return _Representation(bodies.json, None, bodies.etag, bodies.last_modified, bodies.modified_epoch)

    def sleep(self, seconds: float) -> bool:
        """Hold a request back; False when the server is stopping meanwhile."""
        return not self._stopping.wait(seconds)


def _handler_for(server: SimulatorServer) -> type[BaseHTTPRequestHandler]:
    class Handler(_FeedHandler):
        simulator = server

    return Handler


class _FeedHandler(BaseHTTPRequestHandler):
    simulator: SimulatorServer
    protocol_version = "HTTP/1.1"
    server_version = "vatstats-simulator/0.1"

    def log_message(self, format: str, *args: object) -> None:
        if self.simulator.verbose:
            self.simulator.log.write(f"{self.address_string()} - {format % args}\n")

    def do_GET(self) -> None:
        try:
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            requested = query.get("fault", [None])[0]
            try:
                fault = faults.check_fault(requested)
            except ValueError as error:
                self._send(HTTPStatus.BAD_REQUEST, orjson.dumps({"error": str(error)}))
                return
            if url.path == STATS_PATH:
                self._send(HTTPStatus.OK, orjson.dumps(self.simulator.traffic()), counted=False)
            elif url.path == STATUS_PATH:
                self._status(fault)
            elif url.path == DATA_PATH:
                fault = fault or self.simulator.fault
                self._data(None if fault in faults.TRANSCEIVER_FAULTS else fault)
            elif url.path == TRANSCEIVERS_PATH:
                fault = fault or self.simulator.transceivers_fault
                self._transceivers(fault if fault in faults.TRANSCEIVER_FAULTS else None)
            else:
                self._send(HTTPStatus.NOT_FOUND, orjson.dumps({"error": f"no such path {url.path}"}))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (e.g. its timeout fired during a slow fault)

    def _status(self, fault: str | None) -> None:
        if fault is not None and fault not in faults.TRANSCEIVER_FAULTS and self._transport_fault(fault):
            return
        base = self.simulator.base_url
        body = orjson.dumps({
            "data": {"v3": [self.simulator.data_url], "transceivers": [self.simulator.transceivers_url],
                     "servers": [], "servers_sweatbox": [], "servers_all": []},
            "user": [f"{base}/user"],
            "metar": [f"{base}/metar"],
        })
        self._send(HTTPStatus.OK, body)

    def _transport_fault(self, fault: str) -> bool:
        """Handle the faults that do not need a snapshot; True if the response is done."""
        if fault == "http500":
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, orjson.dumps({"error": "simulated server error"}))
        elif fault == "http429":
            self._send(HTTPStatus.TOO_MANY_REQUESTS, orjson.dumps({"error": "simulated rate limit"}),
                       headers={"Retry-After": str(faults.RETRY_AFTER_S)})
        elif fault == "empty":
            self._send(HTTPStatus.OK, b"")
        elif fault == "invalid_json":
            self._send(HTTPStatus.OK, faults.INVALID_JSON_BODY)
        elif fault == "slow":
            return not self.simulator.sleep(self.simulator.slow_delay_s)
        elif fault == "timeout":
            return not self.simulator.sleep(self.simulator.timeout_delay_s)
        else:
            return False
        return True

    def _data(self, fault: str | None) -> None:
        if fault is not None and self._transport_fault(fault):
            return
        if fault == "previous":
            _, body = self.simulator.snapshot_body(offset=1)
        elif fault == "older":
            _, body = self.simulator.snapshot_body(offset=faults.OLDER_BY_SNAPSHOTS)
        elif fault == "extra_fields":
            body = orjson.dumps(faults.with_extra_fields(self.simulator.current_snapshot()))
        elif fault == "missing_optional":
            body = orjson.dumps(faults.without_optional_fields(self.simulator.current_snapshot()))
        elif fault is None:
            self._snapshot(self.simulator.current_representation(gzipped=self._accepts_gzip()))
            return
        else:
            _, body = self.simulator.snapshot_body()
        if fault == "truncated":
            body = body[: len(body) // 2]
        elif fault == "oversized":
            body = faults.oversized(body)
        self._send(HTTPStatus.OK, body, compressible=True)

    def _transceivers(self, fault: str | None) -> None:
        if fault == "transceivers_down":
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, orjson.dumps({"error": "simulated transceivers outage"}))
            return
        if fault == "transceivers_slow" and not self.simulator.sleep(self.simulator.slow_delay_s):
            return
        if fault == "transceivers_timeout" and not self.simulator.sleep(self.simulator.timeout_delay_s):
            return
        _, body = self.simulator.transceivers_body()
        self._send(HTTPStatus.OK, body, compressible=True)

    def _snapshot(self, current: _Representation) -> None:
        """The current snapshot, honouring validators and a single byte range as a CDN would."""
        validators = {"ETag": current.etag, "Last-Modified": current.last_modified,
                      "Accept-Ranges": "bytes", "Vary": "Accept-Encoding"}
        if self._not_modified(current):
            self._send(HTTPStatus.NOT_MODIFIED, b"", headers=validators)
            return
        span = _byte_range(self.headers.get("Range"), len(current.body))
        if span is None:
            self._send(HTTPStatus.OK, current.body, headers=validators, encoding=current.encoding)
        elif span == ():
            self._send(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE, b"",
                       headers={"Content-Range": f"bytes */{len(current.body)}"})
        else:  # a range of the bytes as coded (of the gzip stream, if gzip was chosen), as HTTP defines it
            first, last = span  # type: ignore[misc]  # a two-item range once None and () are handled
            self._send(HTTPStatus.PARTIAL_CONTENT, current.body[first:last + 1], encoding=current.encoding,
                       headers={**validators, "Content-Range": f"bytes {first}-{last}/{len(current.body)}"})

    def _not_modified(self, current: _Representation) -> bool:
        # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2); weak comparison for GET.
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return "*" in tags or current.etag in tags
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since:
            try:
                since = parsedate_to_datetime(if_modified_since)
            except (TypeError, ValueError):
                return False  # an unreadable date is ignored, as the RFC says
            return current.modified_epoch <= since.timestamp()
        return False

    def _accepts_gzip(self) -> bool:
        return "gzip" in self.headers.get("Accept-Encoding", "").lower()

    def _send(
        self,
        status: HTTPStatus,
        body: bytes,
        *,
        headers: dict[str, str] | None = None,
        encoding: str | None = None,
        compressible: bool = False,
        counted: bool = True,
    ) -> None:
        if compressible and encoding is None and self._accepts_gzip():
            # Level 1: the oversized body is 40 MiB and speed matters more than ratio here.
            body = gzip.compress(body, compresslevel=1, mtime=0)
            encoding = "gzip"
        if counted:
            self.simulator.count(urlsplit(self.path).path, status, 0 if self.command == "HEAD" else len(body))
        self.send_response(status)
        if status != HTTPStatus.NOT_MODIFIED:  # a 304 has no body, so no body headers
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.do_GET()


def _byte_range(header: str | None, size: int) -> tuple[int, int] | tuple[()] | None:
    """(first, last) of a single `bytes=` range; () when unsatisfiable; None to serve it all.

    Several ranges, or a header that cannot be read, are ignored (the whole body is served), which
    the RFC allows and keeps the simulator small.
    """
    match = _SINGLE_RANGE.fullmatch(header.strip()) if header else None
    if match is None or match.group(1) == match.group(2) == "":
        return None
    first_text, last_text = match.groups()
    if first_text == "":  # bytes=-N: the last N bytes
        suffix = int(last_text)
        return (max(0, size - suffix), size - 1) if suffix and size else ()
    first = int(first_text)
    last = min(int(last_text), size - 1) if last_text else size - 1
    if first >= size:
        return ()
    return None if last < first else (first, last)
