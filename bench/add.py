"""``reader add``: 200 pages from a web server on loopback, with 1 connection and with several.

The server is the tests' (``tests/web_server.py``, the standard library's, threaded),
serving the corpus's news pages when the corpus is there (each under several
addresses, so 200 distinct pages), else pages made here; each answer waits
``--latency`` ms first, as a far server would. Every run adds the same 200
addresses into a fresh articles folder in a fresh process-free ``Adder`` (fetch,
read the page for its title and canonical link, write the file and its metadata,
fsync), and reports the time and the pages a second, the median of ``--runs``:

    python bench/add.py [--pages 200] [--runs 3] [--latency 50] [--connections 1,4,8]

The baseline, interleaved in the same runs, is the fetch alone (``fetch_all`` with
the same connections, nothing read or written): what is left is reader's own work.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import CORPUS, median  # noqa: E402
from reader.storage.adding import ADDED, Adder  # noqa: E402
from reader.storage.articles import ArticlesFolder  # noqa: E402
from reader.storage.fetch import Fetcher, Limits, fetch_all  # noqa: E402
from tests.web_server import WebServer, page  # noqa: E402


def pages_for(server: WebServer, count: int) -> list[str]:
    folder = CORPUS / "html-news-pages"
    names = sorted(p.name for p in folder.glob("*.html")) if folder.is_dir() else []
    urls = []
    for n in range(count):
        if names:
            name = names[n % len(names)]
            data = (folder / name).read_bytes()
            # another copy of the page under another address (and a title of its own, so it is a new article)
            data = data.replace(b"<title>", f"<title>Copy {n} of ".encode(), 1)
        else:
            data = page(f"Bench Page {n}", "<p>" + "Words of a page for the benchmark. " * 200 + "</p>")
        path = f"/bench/{n}"
        server.pages[path] = (data, "text/html")
        urls.append(server.url(path))
    return urls


def run_add(urls: list[str], connections: int) -> tuple[float, int]:
    with tempfile.TemporaryDirectory(prefix="bench-add-") as root:
        adder = Adder(ArticlesFolder(Path(root) / "articles"), Limits(connections=connections, per_host=connections))
        started = time.perf_counter()
        outcomes = adder.add_urls(urls)
        return time.perf_counter() - started, sum(1 for o in outcomes if o.status == ADDED)


def run_fetch(urls: list[str], connections: int) -> float:
    limits = Limits(connections=connections, per_host=connections)
    started = time.perf_counter()
    with Fetcher(limits) as fetcher:
        fetch_all(urls, fetcher, lambda url, result: None)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--latency", type=float, default=50.0, help="ms each answer waits")
    parser.add_argument("--connections", default="1,4,8")
    options = parser.parse_args()
    counts = [int(c) for c in options.connections.split(",")]
    with WebServer() as server:
        urls = pages_for(server, options.pages)
        answer = server._answer
        delay = options.latency / 1000

        def slowed(handler):  # type: ignore[no-untyped-def]
            time.sleep(delay)
            return answer(handler)

        server._answer = slowed  # type: ignore[method-assign]
        source = "corpus news pages" if (CORPUS / "html-news-pages").is_dir() else "made-up pages"
        size = sum(len(server.pages[f"/bench/{n}"][0]) for n in range(options.pages)) / 1e6
        print(f"{options.pages} pages ({source}, {size:.1f} MB), {options.latency:g} ms latency, median of {options.runs}")
        print(f"{'connections':>11}  {'reader add':>10}  {'pages/s':>8}  {'fetch only':>10}  {'pages/s':>8}")
        for connections in counts:
            adds, fetches, added = [], [], 0
            for _ in range(options.runs):
                seconds, added = run_add(urls, connections)
                adds.append(seconds)
                fetches.append(run_fetch(urls, connections))
            a, f = median(adds), median(fetches)
            print(f"{connections:>11}  {a:>9.2f}s  {options.pages / a:>8.1f}  {f:>9.2f}s  {options.pages / f:>8.1f}")
            if added != options.pages:  # copies of a page that has a canonical link are that page
                print(f"{'':>11}  ({added} added, {options.pages - added} recognised as copies by their canonical link)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
