"""Pilot: the open document's links listed (key O); the one picked opens in $BROWSER, never a shell."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from reader.core.articles import ArticleMeta
from reader.core.doc_links import resolve_link
from reader.storage.yaml_text import dump_yaml
from reader.ui.screens.pick import PickScreen
from reader.ui.widgets.document_list import DocumentList
from reader.ui.widgets.document_view import DocumentView
from tests.ui.conftest import shown, wait_until

PAGE = """<html><head><title>Links Page</title></head><body><article>
<p>The <a href="/about/team?x=1&amp;y=2">team page</a> says who wrote it, and the
<a href="https://example.org/report.pdf">full report</a> has the numbers; see also
<a href="#notes">the notes</a> and <a href="javascript:alert(1)">this trick</a>, with words enough to read.</p>
<p>A second paragraph, so the page reads as an article with some text in it, more words here.</p>
</article></body></html>
"""


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    (folder / ".reader").mkdir(parents=True)
    (folder / "links-page.html").write_text(PAGE, encoding="utf-8")
    meta = ArticleMeta(url="https://news.example.com/2026/story", final_url="https://news.example.com/2026/story/",
                       canonical_url=None, fetched="2026-01-01T00:00:00Z", title="Links Page", file="links-page.html")
    (folder / ".reader" / "links-page.yaml").write_text(dump_yaml(meta.to_mapping()), encoding="utf-8")
    (folder / "plain.md").write_text("# Plain Notes\n\nSee [the other file](<other.md; rm -rf x>) and [a site](https://a.example/$(id)).\n")
    return folder


@pytest.fixture
def browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    record = tmp_path / "opened.txt"
    script = tmp_path / "fake-browser"
    script.write_text(f'#!/bin/sh\nfor arg in "$@"; do printf "%s\\n" "$arg" >> {record}; done\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("BROWSER", str(script))
    return record


def test_resolve_link() -> None:
    assert resolve_link("/a?b=1", "https://x.org/p/q") == "https://x.org/a?b=1"
    assert resolve_link("r.html", None) is None
    assert resolve_link("#top", "https://x.org/") is None
    assert resolve_link("javascript:alert(1)", "https://x.org/") is None
    assert resolve_link("file:///etc/passwd", "https://x.org/") is None
    assert resolve_link("mailto:a@b.org", None) == "mailto:a@b.org"


async def open_titled(pilot, app, title: str) -> DocumentView:
    doc_list = app.screen.query_one(DocumentList)
    await wait_until(pilot, lambda: title in [d.title for d in doc_list.documents])
    doc_list.select_document(next(d.id for d in doc_list.documents if d.title == title))
    doc_list.focus()
    await pilot.press("enter")
    view = app.screen.query_one(DocumentView)
    await wait_until(pilot, lambda: shown(view)() and view.document.title == title)
    return view


async def pick_link(pilot, app, starting: str) -> None:
    await pilot.press("O")
    await wait_until(pilot, lambda: isinstance(app.screen, PickScreen))
    labels = [str(label) for label, _ in app.screen.choices]
    index = next(i for i, label in enumerate(labels) if label.startswith(starting))
    await pilot.press("home", *["j"] * index, "enter")
    await wait_until(pilot, lambda: not isinstance(app.screen, PickScreen))


async def test_links_open_in_the_browser_resolved_against_the_article_address(articles, browser, make_app) -> None:
    app = make_app(articles)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: not app.screen.library_loading)
        await open_titled(pilot, app, "Links Page")
        await pilot.press("O")
        await wait_until(pilot, lambda: isinstance(app.screen, PickScreen))
        labels = [str(label) for label, _ in app.screen.choices]
        assert labels == [
            "team page — https://news.example.com/about/team?x=1&y=2",
            "full report — https://example.org/report.pdf",
            "the notes — #notes (not opened: a place in this page)",
            "this trick — javascript:alert(1) (not opened: not a web address)",
        ]
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, PickScreen))

        await pick_link(pilot, app, "team page")
        await wait_until(pilot, lambda: browser.exists())
        assert browser.read_text().splitlines() == ["https://news.example.com/about/team?x=1&y=2"]

        await pick_link(pilot, app, "this trick")  # never handed to the browser
        await pick_link(pilot, app, "full report")
        await wait_until(pilot, lambda: len(browser.read_text().splitlines()) == 2)
        assert browser.read_text().splitlines()[1] == "https://example.org/report.pdf"


async def test_a_relative_link_without_the_page_address_is_listed_not_opened(articles, browser, make_app, tmp_path) -> None:
    app = make_app(articles)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: not app.screen.library_loading)
        await open_titled(pilot, app, "Plain Notes")
        await pilot.press("O")
        await wait_until(pilot, lambda: isinstance(app.screen, PickScreen))
        assert str(app.screen.choices[0][0]) == (
            "the other file — other.md;%20rm%20-rf%20x (not opened: relative, and the page's address is not known)"
        )
        await pilot.press("escape")
        await pick_link(pilot, app, "the other file")
        assert not browser.exists()
        await pick_link(pilot, app, "a site")  # one argument, as written: no shell ever sees it
        await wait_until(pilot, lambda: browser.exists())
        assert browser.read_text().splitlines() == ["https://a.example/$(id)"]
        assert not (tmp_path / "x").exists()
