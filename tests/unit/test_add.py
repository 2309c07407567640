"""``reader add``: pages fetched from a real web server on loopback, saved, deduplicated, queued."""

from __future__ import annotations

import io
import json
import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.core.formats import FORMATS, read_document
from reader.core.urls import BadUrl, check_url, looks_like_url, url_key
from tests.unit.saved_articles import meta_of, pending, run, saved
from tests.web_server import PAGES, WebServer


@pytest.fixture
def web(monkeypatch: pytest.MonkeyPatch) -> Iterator[WebServer]:
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")  # a proxy in the environment is not for loopback
    with WebServer(slow_seconds=3.0, big_bytes=3 * 1024 * 1024) as server:
        yield server


@pytest.fixture
def articles(reader_home: Path) -> Path:
    return reader_home / "data" / "articles"


# -- addresses ---------------------------------------------------------------------------------


def test_url_key_ignores_what_does_not_name_another_page() -> None:
    same = [
        "https://example.com/a/story",
        "HTTP://Example.COM:80/a/story/",
        "https://example.com:443/a/story#comments",
        "https://example.com/a/story?utm_source=feed&utm_medium=rss&fbclid=xyz",
        "https://EXAMPLE.com./a/story/?gclid=1",
    ]
    assert len({url_key(u) for u in same}) == 1
    assert url_key("https://example.com/a?b=2&a=1") == url_key("https://example.com/a?a=1&b=2")
    different = ["https://example.com/a/story2", "https://example.com/a/story?page=2", "https://example.com:8080/a/story"]
    assert len({url_key(u) for u in [same[0], *different]}) == 4


def test_check_url_says_why_in_one_line() -> None:
    for text, words in [
        ("ftp://example.org/x", "only http and https"),
        ("example.org/x", "say http:// or https://"),
        ("http:///path", "no host"),
        ("http://exa mple.org/", "spaces"),
        ("", "empty"),
    ]:
        with pytest.raises(BadUrl, match=words) as caught:
            check_url(text)
        assert "\n" not in str(caught.value)
    assert looks_like_url(" https://example.org/a ") and not looks_like_url("hello world")


# -- fetching and saving ---------------------------------------------------------------------


def test_add_saves_the_page_as_fetched_with_readable_metadata(
    web: WebServer, articles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "add", web.url("/news/bridge"))
    assert status == 0, err
    [article] = saved(articles)
    assert article.name.endswith("-the-bridge-vote.html") and article.name[:4].isdigit()
    assert article.read_bytes() == PAGES["/news/bridge"][0]  # the raw HTML, byte for byte
    meta = meta_of(articles, article)
    assert meta["url"] == meta["final_url"] == web.url("/news/bridge")
    assert meta["canonical_url"] is None
    assert meta["title"] == "The Bridge Vote"
    assert meta["fetched"].endswith("Z") and meta["file"] == article.name
    assert "added:" in out and article.name in out
    # the articles folder is where `reader locate articles` says, and part of the library
    assert run(capsys, "locate", "articles")[1].strip() == str(articles)
    status, out, _ = run(capsys, "list", "--json")
    assert [d["title"] for d in json.loads(out)] == ["The Bridge Vote"]
    assert not [p for p in articles.rglob("*.tmp")]


def test_the_config_moves_the_articles_folder(
    web: WebServer, reader_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (reader_home / "config").mkdir(parents=True)
    (reader_home / "config" / "config.yaml").write_text(f"articles: {tmp_path / 'mine'}\n", encoding="utf-8")
    assert run(capsys, "add", web.url("/news/harbour"))[0] == 0
    assert [p.name.endswith("harbour-lights-return.html") for p in saved(tmp_path / "mine")] == [True]
    assert run(capsys, "locate", "articles")[1].strip() == str(tmp_path / "mine")
    (reader_home / "config" / "config.yaml").write_text("articles: [1, 2]\n", encoding="utf-8")
    status, _, err = run(capsys, "add", web.url("/news/harbour"))
    assert status == 2 and "config.yaml:1: articles must be a folder" in err and err.count("\n") == 1


def test_adding_again_says_already_in_the_library_and_changes_nothing(
    web: WebServer, articles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "add", web.url("/news/bridge"))[0] == 0
    before = {p: p.read_bytes() for p in articles.rglob("*") if p.is_file()}
    port = web.port
    variants = [
        f"http://127.0.0.1:{port}/news/bridge/",
        f"HTTP://127.0.0.1:{port}/news/bridge?utm_source=mail&fbclid=1#top",
    ]
    for variant in variants:
        status, out, _ = run(capsys, "add", variant)
        assert status == 0 and out.startswith("already in the library:")
    assert web.hits["/news/bridge"] == 1  # known by its address: not even fetched
    # another address whose canonical link is the saved page's
    status, out, _ = run(capsys, "add", web.url("/news/canonical-copy"))
    assert status == 0 and out.startswith("already in the library:")
    # reached through a redirect: its final address is the saved page's
    status, out, _ = run(capsys, "add", web.url("/old/bridge"))
    assert status == 0 and out.startswith("already in the library:")
    after = {p: p.read_bytes() for p in articles.rglob("*") if p.is_file()}
    assert after == before


def test_a_canonical_link_that_differs_is_kept_and_recognised(
    web: WebServer, articles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "add", web.url("/news/own-canonical"))[0] == 0
    [article] = saved(articles)
    assert meta_of(articles, article)["canonical_url"] == "https://example.org/story/42"
    status, out, _ = run(capsys, "add", "https://example.org/story/42/?utm_campaign=x")
    assert status == 0 and out.startswith("already in the library:")


def test_redirects_are_followed_and_the_final_address_kept(
    web: WebServer, articles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, "add", web.url("/hop/1"))
    assert status == 0, err
    [article] = saved(articles)
    meta = meta_of(articles, article)
    assert meta["url"] == web.url("/hop/1")
    assert meta["final_url"] == web.url("/news/harbour?utm_source=feed")
    assert meta["title"] == "Harbour Lights Return"
    status, _, err = run(capsys, "add", web.url("/loop"), web.url("/to-ftp"))
    assert status == 1
    assert "/loop: more than 10 redirects" in err
    assert "/to-ftp: redirected to a bad address" in err and "only http and https" in err


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_each_failure_is_one_line_with_its_reason(
    web: WebServer, articles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    urls = {
        "/missing": "not found (404)",
        "/gone": "gone (410)",
        "/forbidden": "forbidden (403)",
        "/busy": "too many requests (429), the server asks to retry after 2 min",
        "/broken": "server error (500)",
    }
    if ".pdf" not in FORMATS:  # no PDF reader: a PDF is not saved, and says so
        urls["/files/report.pdf"] = "not HTML: a PDF (application/pdf), which reader cannot read yet"
    else:  # a PDF reader: the PDF is read as one (this one is no real PDF)
        urls["/files/report.pdf"] = "cannot read the page"
    refused = f"http://127.0.0.1:{closed_port()}/x"
    status, _, err = run(capsys, "add", *(web.url(p) for p in urls), refused, "http://no-such-host.invalid/a")
    assert status == 1
    lines = err.splitlines()
    for path, reason in urls.items():
        [line] = [l for l in lines if f"{web.port}{path}:" in l]
        assert reason in line
    assert any("connection refused by 127.0.0.1" in l for l in lines)
    assert any("no such host: no-such-host.invalid" in l for l in lines)
    assert lines[-1] == f"0 added, 0 already in the library, {len(urls) + 2} failed (5 queued)"
    assert "Traceback" not in err
    assert saved(articles) == []  # nothing unreadable is saved
    queued = {item["url"] for item in pending(articles)}
    assert queued == {web.url("/forbidden"), web.url("/busy"), web.url("/broken"), refused, "http://no-such-host.invalid/a"}


def test_a_slow_server_times_out(web: WebServer, articles: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "add", "--timeout", "0.5", web.url("/slow"))
    assert status == 1
    assert "/slow: timed out waiting for 127.0.0.1 (nothing for 0.5 s)" in err
    assert saved(articles) == [] and [i["url"] for i in pending(articles)] == [web.url("/slow")]


def test_a_page_over_the_size_limit_is_given_up(web: WebServer, articles: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "add", "--max-size", "1", web.url("/big"), web.url("/big-stream"))
    assert status == 1
    assert "/big: too large (more than 1 MB)" in err
    assert "/big-stream: too large (more than 1 MB)" in err
    assert saved(articles) == [] and pending(articles) == []  # too large stays too large: not queued


@pytest.mark.parametrize(
    "option, value, reason",
    [
        ("--timeout", "soon", "not a number of seconds: 'soon'"),
        ("--timeout", "0", "must be more than 0 and at most 3600: '0'"),
        ("--timeout", "nan", "must be more than 0 and at most 3600: 'nan'"),
        ("--max-size", "big", "not a number of megabytes: 'big'"),
        ("--max-size", "2000", "must be more than 0 and at most 1024: '2000'"),
    ],
)
def test_a_bad_timeout_or_size_is_one_line(
    articles: Path, capsys: pytest.CaptureFixture[str], option: str, value: str, reason: str
) -> None:
    status, out, err = run(capsys, "add", option, value, "https://example.invalid/page")
    assert status != 0 and out == ""
    assert err.strip().splitlines() == [f"reader: argument {option}: {reason} (see 'reader --help')"]
    assert saved(articles) == [] and pending(articles) == []


def test_a_wrong_declared_charset_is_read_right(web: WebServer, articles: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "add", web.url("/news/wrong-charset"))[0] == 0
    [article] = saved(articles)
    assert article.name.endswith("-cafe-creme-a-zurich.html")
    document = read_document(article)
    assert document.title == "Café crème à Zürich"
    assert "conseil général" in document.text
    # the server says UTF-8 and sends Windows-1252: the page is read by its bytes
    assert run(capsys, "add", web.url("/news/wrong-header"))[0] == 0
    [other] = [p for p in saved(articles) if p != article]
    assert read_document(other).title == "Les élèves de l'école"


def test_a_text_page_is_saved_as_text(web: WebServer, articles: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "add", web.url("/notes.txt"))[0] == 0
    [article] = saved(articles)
    assert article.suffix == ".txt" and read_document(article).title == "Plain Notes"


def test_never_overwrites_a_file_of_the_same_name(
    web: WebServer, articles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "add", web.url("/news/bridge"))[0] == 0
    [first] = saved(articles)
    mine = articles / first.name.replace("the-bridge-vote", "harbour-lights-return")
    mine.write_bytes(b"my own file")
    assert run(capsys, "add", web.url("/news/harbour"))[0] == 0
    assert mine.read_bytes() == b"my own file"
    names = [p.name for p in saved(articles)]
    assert mine.with_name(mine.stem + "-2.html").name in names and len(names) == 3


def test_several_at_once_with_a_bound_per_host(web: WebServer, articles: Path, capsys: pytest.CaptureFixture[str]) -> None:
    urls = [web.url(f"/pause/{n}") for n in range(8)]
    status, _, err = run(capsys, "add", "--connections", "8", "--per-host", "3", *urls)
    assert status == 0, err
    assert len(saved(articles)) == 8
    assert web.most_in_flight == 3  # several at once, never more than the bound on one host
    assert "8 added, 0 already in the library, 0 failed (0 queued)" in err


def test_retry_works_through_the_queue(web: WebServer, articles: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "add", web.url("/broken"), web.url("/busy"))[0] == 1
    assert len(pending(articles)) == 2
    web.pages["/broken"] = PAGES["/news/harbour"]  # the server is back
    status, out, err = run(capsys, "add", "--retry")
    assert status == 1  # /busy asked for two minutes: still waiting
    assert "added:" in out and "harbour-lights-return" in out
    assert f"{web.url('/busy')}: the server asked to wait until" in err
    assert web.hits["/busy"] == 1  # its time has not come: not asked again
    assert [item["url"] for item in pending(articles)] == [web.url("/busy")]
    assert pending(articles)[0]["attempts"] == 1


def test_refresh_fetches_again_under_the_same_name_and_notes_stay(
    web: WebServer, articles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "add", web.url("/news/bridge"))[0] == 0
    [article] = saved(articles)
    quote = "agreed, after a long debate about the river bridge"
    status, out, err = run(capsys, "note", "add", str(article), "--quote", quote, "--text", "why?")
    assert status == 0, err
    old_id = read_document(article).id
    web.pages["/news/bridge"] = (PAGES["/news/bridge"][0].replace(b"Paragraph 1 of", b"A new first line. Paragraph 1 of"), "text/html")
    status, out, _ = run(capsys, "add", "--refresh", web.url("/news/bridge"))
    assert status == 0 and out.startswith("refreshed:")
    assert saved(articles) == [article]
    assert b"A new first line." in article.read_bytes()
    assert read_document(article).id == old_id
    meta = meta_of(articles, article)
    assert meta["first_fetched"] <= meta["fetched"]
    status, out, _ = run(capsys, "notes", "--json")
    [note] = json.loads(out)
    assert note["path"] == str(article) and note["text"] == "why?"


def test_addresses_on_standard_input(
    web: WebServer, articles: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = f"# my reading list\n{web.url('/news/bridge')}\n\n  {web.url('/news/harbour')}  \n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines.encode())))
    status, _, err = run(capsys, "add", "-")
    assert status == 0, err
    assert len(saved(articles)) == 2


def test_a_page_on_standard_input_or_in_a_file_with_its_address(
    articles: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    body = PAGES["/news/harbour"][0]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(body)))
    status, out, err = run(capsys, "add", "-", "--url", "https://paywalled.example/story")
    assert status == 0, err
    [article] = saved(articles)
    assert article.read_bytes() == body
    assert meta_of(articles, article)["url"] == "https://paywalled.example/story"
    page = tmp_path / "saved.html"
    page.write_bytes(PAGES["/news/bridge"][0])
    assert run(capsys, "add", str(page), "--url", "https://example.net/bridge")[0] == 0
    status, out, _ = run(capsys, "add", str(page), "--url", "https://example.net/bridge/")
    assert status == 0 and out.startswith("already in the library")
    assert len(saved(articles)) == 2
    status, _, err = run(capsys, "add", str(page))
    assert status == 2 and "a saved page needs the address it came from: add --url URL" in err
    status, _, err = run(capsys, "add", str(tmp_path / "nothing.html"), "--url", "https://e.net/x")
    assert status == 2 and "nothing.html: no such file" in err


def test_bad_addresses_are_named(articles: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "add", "ftp://example.org/file", "gopher")
    assert status == 1
    assert "ftp://example.org/file: only http and https addresses can be fetched" in err
    assert "gopher: not a web address (say http:// or https://)" in err
    assert saved(articles) == [] and pending(articles) == []


@pytest.mark.corpus
def test_news_pages_of_the_corpus(corpus: Path, articles: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = corpus / "html-news-pages"
    if not folder.is_dir():
        pytest.skip("no html-news-pages in the corpus")
    names = sorted(p.name for p in folder.glob("*.html"))[:40]
    with WebServer(corpus=folder) as server:
        status, _, err = run(capsys, "add", "--connections", "8", "--per-host", "8", *(server.url(f"/corpus/{n}") for n in names))
    assert "Traceback" not in err
    files = saved(articles)
    # every page is saved byte for byte (pages that are the same article under two names are one)
    served = {(folder / n).read_bytes() for n in names}
    assert {p.read_bytes() for p in files} <= served
    assert len(files) >= len(names) - err.count("already in the library") - err.count("failed") - 5
    for file in files:
        assert read_document(file).title, file
        assert meta_of(articles, file)["final_url"].startswith(server.url("/corpus/"))
    os.sync()
