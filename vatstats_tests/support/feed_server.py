"""A real HTTP server on 127.0.0.1 that serves whatever feed body a test sets (e.g. a real fixture)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FixtureFeedServer:
    """Serves /status.json (pointing at /v3/vatsim-data.json and /v3/transceivers-data.json), the
    current body or error, and the transceivers body (404 while it is None)."""

    def __init__(self) -> None:
        self.body: bytes = b""
        self.status: int = 200
        self.requests = 0
        self.transceivers_body: bytes | None = None
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet test output
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                if self.path.startswith("/status.json"):
                    payload = json.dumps({"data": {"v3": [server.data_url],
                                                   "transceivers": [server.transceivers_url]}}).encode()
                    self._send(200, payload)
                    return
                if self.path.startswith("/v3/transceivers-data.json"):
                    body = server.transceivers_body
                    self._send(404, b"") if body is None else self._send(200, body)
                    return
                server.requests += 1
                self._send(server.status, server.body)

            def _send(self, status: int, payload: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def status_url(self) -> str:
        return f"{self.base_url}/status.json"

    @property
    def transceivers_url(self) -> str:
        return f"{self.base_url}/v3/transceivers-data.json"

    @property
    def data_url(self) -> str:
        return f"{self.base_url}/v3/vatsim-data.json"

    def __enter__(self) -> FixtureFeedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
