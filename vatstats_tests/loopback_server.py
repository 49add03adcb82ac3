"""A real HTTP server on 127.0.0.1, in a thread, answering with a function the test supplies."""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self

# (path, User-Agent) -> (body, extra headers), or None for 404. It may block on `release`.
Answer = Callable[[str, str], "tuple[bytes, dict[str, str]] | None"]


class LoopbackServer:
    """`with LoopbackServer(answer) as server:` serves `server.base_url` until the block ends.

    `release` is set on exit, so an answer waiting on it (a slow response) lets go and the server
    can shut down at once.
    """

    def __init__(self, answer: Answer) -> None:
        self.release = threading.Event()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                answered = answer(self.path, self.headers.get("User-Agent", ""))
                if answered is None:
                    self.send_error(404)
                    return
                body, headers = answered
                try:
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up first, as a timeout test intends

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)
