"""A web server on loopback for the tests of ``reader add``: the standard library's, in a thread.

It serves small pages of its own (so fetching is tested where the corpus is absent),
the corpus's news pages under ``/corpus/NAME`` when the corpus is there, and the
awkward answers a fetcher meets: redirects, 404, 410, 429 with Retry-After, a slow
answer, a big body (with and without Content-Length), a wrong declared charset, a
canonical link that differs from the address, a PDF. Counts requests per path.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

__all__ = ["WebServer", "PAGES", "page"]


def page(title: str, body: str, head: str = "", charset: str = "utf-8") -> bytes:
    return (
        f'<!doctype html><html><head><meta charset="{charset}"><title>{title} | The Test Times</title>{head}</head>'
        f"<body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1>{body}</article><footer>© The Test Times</footer></body></html>"
    ).encode("utf-8")


_PROSE = "".join(
    f"<p>Paragraph {n} of the story: the council met on Tuesday and agreed, after a long debate about "
    f"the river bridge and the budget for the coming year, to ask the engineers for a second opinion.</p>"
    for n in range(1, 6)
)

PAGES: dict[str, tuple[bytes, str]] = {
    "/news/bridge": (page("The Bridge Vote", _PROSE), "text/html; charset=utf-8"),
    "/news/harbour": (page("Harbour Lights Return", _PROSE), "text/html; charset=utf-8"),
    "/news/canonical-copy": (
        page("The Bridge Vote", _PROSE, head='<link rel="canonical" href="/news/bridge">'),
        "text/html",
    ),
    "/news/own-canonical": (
        page("A Page With Its Own Canonical", _PROSE, head='<link rel="canonical" href="https://example.org/story/42">'),
        "text/html",
    ),
    # the page says Latin-1 and the server says nothing: its bytes are UTF-8
    "/news/wrong-charset": (page("Café crème à Zürich", _PROSE.replace("council", "conseil général"), charset="iso-8859-1"), "text/html"),
    # the server says UTF-8: its bytes are Windows-1252
    "/news/wrong-header": (
        page("Les élèves de l'école", _PROSE, charset="").replace(b'<meta charset="">', b"").decode("utf-8").encode("cp1252"),
        "text/html; charset=utf-8",
    ),
    "/files/report.pdf": (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n", "application/pdf"),
    "/notes.txt": (b"Plain Notes\n\nA text page, served as text.\n", "text/plain; charset=utf-8"),
}


class WebServer:
    """``with WebServer() as web: web.url("/news/bridge")``; ``corpus``: the folder served under /corpus/."""

    def __init__(self, corpus: Path | None = None, slow_seconds: float = 3.0, big_bytes: int = 3 * 1024 * 1024) -> None:
        self.corpus = corpus
        self.slow_seconds = slow_seconds
        self.big_bytes = big_bytes
        self.hits: Counter[str] = Counter()
        self.in_flight = 0
        self.most_in_flight = 0
        self._count = threading.Lock()
        self.pages = dict(PAGES)
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - the standard library's name
                with server._count:
                    server.hits[self.path.split("?", 1)[0]] += 1
                    server.in_flight += 1
                    server.most_in_flight = max(server.most_in_flight, server.in_flight)
                try:
                    server._answer(self)
                finally:
                    with server._count:
                        server.in_flight -= 1

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="web-server", daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> WebServer:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=60)

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path.split("?", 1)[0]
        if path in self.pages:
            body, kind = self.pages[path]
            return _send(handler, 200, body, {"Content-Type": kind})
        if path.startswith("/corpus/") and self.corpus is not None:
            name = path.removeprefix("/corpus/")
            file = self.corpus / name
            if "/" not in name and file.is_file():
                return _send(handler, 200, file.read_bytes(), {"Content-Type": "text/html"})
        if path == "/old/bridge":
            return _send(handler, 301, b"", {"Location": "/news/bridge"})
        if path == "/hop/1":
            return _send(handler, 302, b"", {"Location": f"http://127.0.0.1:{self.port}/hop/2"})
        if path == "/hop/2":
            return _send(handler, 307, b"", {"Location": "/news/harbour?utm_source=feed"})
        if path == "/loop":
            return _send(handler, 302, b"", {"Location": "/loop"})
        if path == "/to-ftp":
            return _send(handler, 302, b"", {"Location": "ftp://example.org/file"})
        if path == "/gone":
            return _send(handler, 410, b"gone", {"Content-Type": "text/plain"})
        if path == "/busy":
            return _send(handler, 429, b"slow down", {"Content-Type": "text/plain", "Retry-After": "120"})
        if path == "/forbidden":
            return _send(handler, 403, b"no", {"Content-Type": "text/plain"})
        if path == "/broken":
            return _send(handler, 500, b"oops", {"Content-Type": "text/plain"})
        if path.startswith("/pause/"):  # a page that takes a moment: for counting fetches at once
            time.sleep(0.3)
            name = path.removeprefix("/pause/")
            return _send(handler, 200, page(f"Paused Page {name}", _PROSE), {"Content-Type": "text/html"})
        if path == "/slow":
            time.sleep(self.slow_seconds)
            return _send(handler, 200, page("Slow", _PROSE), {"Content-Type": "text/html"})
        if path == "/big":
            return _send(handler, 200, b"<p>" + b"x" * self.big_bytes, {"Content-Type": "text/html"})
        if path == "/big-stream":  # no Content-Length: the size is found while reading
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html")
            handler.send_header("Connection", "close")
            handler.end_headers()
            try:
                for _ in range(self.big_bytes // 65536 + 2):
                    handler.wfile.write(b"<p>" + b"y" * 65533)
            except OSError:
                pass  # the client gave up, as it should
            handler.close_connection = True
            return None
        return _send(handler, 404, b"not here", {"Content-Type": "text/plain"})


def _send(handler: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str]) -> None:
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    try:
        handler.wfile.write(body)
    except OSError:
        pass
