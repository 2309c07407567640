"""``reader import FILE`` from the read-later services: one test per format, round trips, hostile exports."""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.unit.saved_articles import meta_of, pending, run, saved
from tests.web_server import WebServer

FIXTURES = Path(__file__).parent / "imports"


@pytest.fixture
def web(monkeypatch: pytest.MonkeyPatch) -> Iterator[WebServer]:
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    with WebServer(slow_seconds=3.0, big_bytes=1024) as server:
        yield server


@pytest.fixture
def articles(reader_home: Path) -> Path:
    return reader_home / "data" / "articles"


def notes(capsys: pytest.CaptureFixture[str]) -> list[dict]:
    status, out, err = run(capsys, "notes", "--json")
    assert status == 0, err
    return json.loads(out)


def listed(capsys: pytest.CaptureFixture[str]) -> dict[str, dict]:
    status, out, err = run(capsys, "list", "--json")
    assert status == 0, err
    return {item["title"]: item for item in json.loads(out)}


def fixture(name: str, tmp_path: Path, server: WebServer | None = None) -> Path:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    if server is not None:
        text = text.replace("{server}", server.url("").rstrip("/"))
    target = tmp_path / name
    target.write_text(text, encoding="utf-8")
    return target


def no_traceback(err: str) -> None:
    assert "Traceback" not in err
    for line in err.splitlines():
        assert line.startswith("reader: "), line


# -- Pocket ------------------------------------------------------------------------------------


def test_pocket_csv_links_are_queued_with_their_tags_and_bad_rows_named(
    articles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "import", str(FIXTURES / "pocket.csv"), "--yes")
    assert status == 1  # two rows did not read; the rest is imported
    no_traceback(err)
    assert f"{FIXTURES / 'pocket.csv'}: row 5: an empty address" in err
    assert f"{FIXTURES / 'pocket.csv'}: row 6: ftp://files.example/x: only http and https" in err
    assert "Pocket (CSV): 4 articles" in out
    assert "3 links to fetch" in out and "1 already in the library or queued" in out  # the harbour twice
    assert [item["url"] for item in pending(articles)] == [
        "https://news.example/bridge?utm_source=pocket",
        "https://news.example/harbour",
        "https://news.example/de/bruecken",
    ]
    waiting = [json.loads(line) for line in (articles / ".reader" / "imported.jsonl").read_text().splitlines()]
    assert waiting[0]["tags"] == ["city", "politics"] and waiting[0]["state"] == "archive"
    assert waiting[0]["added"] == "2023-11-14T22:13:20Z"
    assert waiting[2]["tags"] == ["deutsch", "reise zeit"]


def test_importing_twice_adds_nothing(articles: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "import", str(FIXTURES / "pocket.csv"), "--yes")
    queue = (articles / ".reader" / "pending.yaml").read_bytes()
    waiting = (articles / ".reader" / "imported.jsonl").read_bytes()
    status, out, _ = run(capsys, "import", str(FIXTURES / "pocket.csv"), "--yes")
    assert "nothing new to import" in out and "4 already in the library or queued" in out
    assert (articles / ".reader" / "pending.yaml").read_bytes() == queue
    assert (articles / ".reader" / "imported.jsonl").read_bytes() == waiting


def test_pocket_html_read_archive_is_archived(articles: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "import", str(FIXTURES / "pocket.html"), "--yes")
    assert status == 0, err
    assert "Pocket (HTML): 2 articles" in out  # the javascript: link is no article
    waiting = {json.loads(line)["url"]: json.loads(line) for line in (articles / ".reader" / "imported.jsonl").read_text().splitlines()}
    assert waiting["https://news.example/harbour"]["state"] == "archive"
    assert "state" not in waiting["https://news.example/bridge"]
    assert waiting["https://news.example/bridge"]["tags"] == ["city", "politics"]
    assert waiting["https://news.example/bridge"]["added"] == "2023-10-29T08:34:48Z"


def test_netscape_bookmarks_folders_become_tags(articles: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "import", str(FIXTURES / "bookmarks.html"), "--yes")
    assert status == 0, err
    assert "Netscape bookmarks (HTML): 3 articles" in out
    waiting = {json.loads(line)["url"]: json.loads(line) for line in (articles / ".reader" / "imported.jsonl").read_text().splitlines()}
    assert waiting["https://news.example/harbour"]["tags"] == ["Reading", "sea", "harbours"]
    assert "tags" not in waiting["https://news.example/bridge"]  # "Bookmarks bar" is the browser's, not a tag


# -- Instapaper: links with selections, anchored once fetched ----------------------------------


def test_instapaper_selections_become_notes_when_the_articles_arrive_and_export(
    web: WebServer, articles: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = fixture("instapaper.csv", tmp_path, web)
    status, out, err = run(capsys, "import", str(export), "--yes")
    assert status == 1 and f"{export}: row 6: not an address" in err
    assert "Instapaper (CSV): 4 articles" in out and "2 highlights" in out
    assert saved(articles) == []  # links only: nothing fetched yet
    web.pages["/news/other"] = web.pages["/news/bridge"]
    status, out, err = run(capsys, "add", "--retry")
    assert "harbour-lights-return" in out and "the-bridge-vote" in out
    by_title = listed(capsys)
    assert by_title["Harbour Lights Return"]["state"] == "archive"
    assert by_title["The Bridge Vote"]["added"] == "2023-11-14T22:13:20Z"
    found = {note["quote"]: note for note in notes(capsys)}
    quote = "agreed, after a long debate about the river bridge and the budget for the coming year"
    assert found[quote]["start"] > 0  # anchored in the fetched text
    detached = found["a passage the page does not hold at all, anywhere"]
    assert detached["start"] == detached["end"] == 0  # kept, detached
    status, out, err = run(capsys, "export", "--format", "json")
    assert status == 0, err
    assert quote in out and "a passage the page does not hold at all" in out


# -- wallabag: content, tags, states and annotations -------------------------------------------


def test_wallabag_content_is_saved_and_annotations_anchored_then_exported(
    articles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "import", str(FIXTURES / "wallabag.json"), "--yes")
    assert status == 1  # two entries do not read
    assert f"{FIXTURES / 'wallabag.json'}: entry 3: not an entry" in err
    assert f"{FIXTURES / 'wallabag.json'}: entry 4: " in err
    assert "1 with their text, saved now" in out and "1 links to fetch" in out
    [article] = saved(articles)
    assert article.name == "2025-03-15-the-bridge-vote.html"
    meta = meta_of(articles, article)
    assert meta["imported_from"] == "wallabag (JSON)" and meta["read"] == "2025-03-20T14:22:10Z"
    item = listed(capsys)["The Bridge Vote"]
    assert item["tags"] == ["city", "politics"] and item["state"] == "archive" and item["favourite"] is True
    assert item["added"] == "2025-03-15T09:08:33Z"
    found = {note["quote"]: note for note in notes(capsys)}
    anchored = found["agreed, after a long debate about the river bridge"]
    assert anchored["text"] == "Why so long?" and anchored["end"] - anchored["start"] == len(anchored["quote"])
    assert anchored["created"] == "2025-03-16T10:00:00Z"
    assert found["a sentence wallabag saw that the saved text does not hold"]["start"] == 0
    status, out, err = run(capsys, "export", "--format", "markdown")
    assert status == 0 and "Why so long?" in out and "agreed, after a long debate about the river bridge" in out
    status, out, _ = run(capsys, "import", str(FIXTURES / "wallabag.json"), "--yes")
    assert "nothing new to import" in out and len(saved(articles)) == 1 and len(notes(capsys)) == 2


# -- Omnivore: a folder and a ZIP ----------------------------------------------------------------


def omnivore_zip(tmp_path: Path, extra: dict[str, bytes] | None = None) -> Path:
    target = tmp_path / "omnivore-export.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted((FIXTURES / "omnivore").rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(FIXTURES / "omnivore").as_posix())
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return target


@pytest.mark.parametrize("form", ["folder", "zip"])
def test_omnivore_export_content_labels_and_highlights(
    form: str, articles: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = FIXTURES / "omnivore" if form == "folder" else omnivore_zip(tmp_path)
    status, out, err = run(capsys, "import", str(export), "--yes")
    assert status == 1  # the item without an address, the hostile slug
    assert "no address" in err and "slug '../../../escape' is not a file name" in err
    no_traceback(err)
    assert "1 with their text, saved now" in out and "2 links to fetch" in out
    [article] = saved(articles)
    assert article.read_bytes().count(b"The council met on Tuesday") == 1
    item = listed(capsys)["The Bridge Vote"]
    assert item["tags"] == ["city", "politics"] and item["state"] == "archive"
    found = {note["quote"]: note for note in notes(capsys)}
    first = found["agreed, after a long debate about the river bridge"]
    assert first["text"] == "Ask the engineers what they think." and first["tags"] == ["civic", "bridges"]
    assert first["start"] > 0
    # the quote's paragraph break is only spacing: the same words are found, the note quotes the text
    second = found["Residents were divided: some wanted the old bridge mended, others a new one."]
    assert second["end"] > second["start"] > 0
    assert found["a passage Omnivore kept that the saved text does not hold"]["start"] == 0
    status, out, _ = run(capsys, "export", "--format", "json")
    assert "Ask the engineers what they think." in out
    status, out, _ = run(capsys, "import", str(export), "--yes")
    assert "nothing new to import" in out and len(saved(articles)) == 1


# -- Readwise ------------------------------------------------------------------------------------


def test_readwise_reader_library_locations_and_tags(articles: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "import", str(FIXTURES / "readwise_reader.csv"), "--yes")
    assert status == 0, err
    assert "Readwise Reader (CSV): 3 articles" in out
    waiting = {json.loads(line)["url"]: json.loads(line) for line in (articles / ".reader" / "imported.jsonl").read_text().splitlines()}
    assert waiting["https://news.example/bridge"]["state"] == "later"
    assert waiting["https://news.example/bridge"]["tags"] == ["city", "politics"]
    assert waiting["https://news.example/harbour"]["state"] == "archive"
    assert waiting["https://news.example/bridge"]["added"] == "2023-11-14T22:13:20Z"


def test_readwise_highlights_by_address_and_by_title_round_trip(
    web: WebServer, articles: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "add", web.url("/news/harbour"))[0] == 0  # the article named by title only is here
    export = fixture("readwise_highlights.csv", tmp_path, web)
    status, out, err = run(capsys, "import", str(export), "--yes")
    assert f"{export}: row 4: no highlight text" in err
    assert "2 highlights" in out
    run(capsys, "add", "--retry")
    found = {note["quote"]: note for note in notes(capsys)}
    assert found["Paragraph 2 of the story"]["start"] > 0  # on "Harbour Lights Return", by its title
    bridge = found["agreed, after a long debate about the river bridge and the budget for the coming year"]
    assert bridge["text"] == "Worth a second opinion" and bridge["start"] > 0
    status, out, _ = run(capsys, "export", "--format", "csv")
    assert "Worth a second opinion" in out


# -- the question, and reader's own JSON ---------------------------------------------------------


def test_the_summary_asks_before_importing(
    articles: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("n\n"))
    status, out, _ = run(capsys, "import", str(FIXTURES / "pocket.html"))
    assert "Import? [y/N]" in out and "nothing imported" in out and status == 1
    assert pending(articles) == []
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    status, _, err = run(capsys, "import", str(FIXTURES / "pocket.html"))
    assert status == 1 and "add --yes" in err and pending(articles) == []
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))
    status, out, _ = run(capsys, "import", str(FIXTURES / "pocket.html"))
    assert status == 0 and len(pending(articles)) == 2


def test_readers_own_json_still_imports(reader_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = tmp_path / "doc.txt"
    document.write_text("A title\n\nSome text to mark in the document.\n", encoding="utf-8")
    assert run(capsys, "note", "add", str(document), "--quote", "text to mark", "--text", "mine")[0] == 0
    status, out, _ = run(capsys, "export", "--format", "json", "-o", str(tmp_path / "notes.json"))
    assert status == 0
    shutil.rmtree(reader_home / "data" / "notes", ignore_errors=True)
    status, out, err = run(capsys, "import", str(tmp_path / "notes.json"))
    assert status == 0, err
    assert "imported 1 note" in err


# -- hostile exports -----------------------------------------------------------------------------


def outside(tmp_path: Path) -> set[Path]:
    return {p for p in tmp_path.rglob("*")}


def test_a_zip_with_climbing_names_writes_nothing_outside(
    articles: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = omnivore_zip(
        tmp_path,
        {"../escape.html": b"<p>out</p>", "/abs/metadata_9_to_10.json": b"[]", "content/../../x.html": b"x"},
    )
    before = outside(tmp_path)
    status, out, err = run(capsys, "import", str(export), "--yes")
    no_traceback(err)
    assert "unsafe member name '../escape.html': left out" in err
    assert outside(tmp_path) == before
    assert not (articles.parent / "escape.html").exists() and len(saved(articles)) == 1


def test_a_zip_bomb_is_refused_in_one_line(articles: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export = omnivore_zip(tmp_path, {"content/the-bridge-vote-192da8e9656.md": b"\0" * (20 * 1024 * 1024)})
    status, out, err = run(capsys, "import", str(export), "--yes")
    assert status == 1 and "zip bomb" in err and len(err.splitlines()) == 1
    assert saved(articles) == []


def test_deeply_nested_json_is_one_line(articles: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "deep.json"
    export.write_text("[" * 200_000 + "]" * 200_000)
    status, out, err = run(capsys, "import", str(export), "--yes")
    assert status == 1 and err.count("\n") == 1 and str(export) in err
    assert saved(articles) == [] and pending(articles) == []


def test_a_huge_field_is_one_row_and_the_rest_imports(articles: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "pocket.csv"
    big = "x" * (17 * 1024 * 1024)
    export.write_text(
        "title,url,time_added,tags,status\n"
        f"{big},https://news.example/big,1700000000,,unread\n"
        "Fine,https://news.example/fine,1700000000,,unread\n"
    )
    status, out, err = run(capsys, "import", str(export), "--yes")
    assert status == 1 and f"{export}: row 2: not CSV (field larger than field limit" in err
    no_traceback(err)
    assert [item["url"] for item in pending(articles)] == ["https://news.example/fine"]


def test_a_linked_file_in_an_export_folder_is_left_out(
    articles: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "omnivore"
    shutil.copytree(FIXTURES / "omnivore", export)
    secret = tmp_path / "secret.html"
    secret.write_text("<p>a secret from elsewhere</p>")
    os.unlink(export / "content" / "the-bridge-vote-192da8e9656.html")
    os.symlink(secret, export / "content" / "the-bridge-vote-192da8e9656.html")
    status, out, err = run(capsys, "import", str(export), "--yes")
    assert "the-bridge-vote-192da8e9656.html: a link: left out" in err
    assert saved(articles) == []  # the article is queued to be fetched instead
    assert "https://news.example/bridge" in [item["url"] for item in pending(articles)]


def test_not_an_export_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name, data in (("a.csv", b"name,age\nx,1\n"), ("b.json", b'{"x": 1}'), ("c.html", b"<html><p>hi</p></html>"), ("d", b"")):
        (tmp_path / name).write_bytes(data)
        status, out, err = run(capsys, "import", str(tmp_path / name), "--yes")
        assert status == 1 and err.count("\n") == 1 and str(tmp_path / name) in err, err
