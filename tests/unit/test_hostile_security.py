"""Exports under hostile data: HTML that holds user text only as text, files written only where asked.

- ``render("html", …)`` on arbitrary titles, paths, sources, ids, quotes, notes, tags,
  names, sections and times (Hypothesis, derandomized, no example database), parsed
  with ``html.parser``: every element and attribute is one of the page's own, no
  comment, processing instruction or second declaration appears, every link is a
  ``file:`` URI, and every piece of user text comes back as text.
- ``reader export --output FILE`` with notes and documents whose paths, titles, ids,
  names, tags and texts hold ``../`` and absolute paths: every file under the test's
  folders and the reader's home is compared before and after, and the only change is
  FILE. A symlinked FILE is replaced, never followed; a FILE in a missing folder
  creates nothing.
"""

from __future__ import annotations

import os
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.cli import main
from reader.core.export import FORMATS, render
from reader.core.notes import DocumentRef, Kind, Note, Target, make_target
from reader.storage.paths import Paths
from reader.storage.store import Store

SETTINGS = settings(derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EXPORTED = "2026-11-30T09:00:00Z"

# what the page itself is made of (reader/core/export/html_page.py)
ELEMENTS = {"html", "head", "meta", "title", "style", "body", "header", "h1", "p", "time", "article", "h2", "a",
            "h3", "section", "blockquote", "div", "span", "strong"}
ATTRIBUTES = {"lang", "charset", "name", "content", "datetime", "id", "dir", "href", "class"}
HOSTILE = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><b>', "'><i>", "</style><script>", "<!--",
    "-->", "<![CDATA[", "<?xml ?>", "<!doctype x>", "&lt;", "&amp;", "&#x3C;", "javascript:alert(1)", "\u202e",
    "</textarea>", "<a href='javascript:x'>", "\n", "\r", "\t", "../../etc/passwd", "/etc/passwd", "{{x}}", "`",
]
user_text = st.one_of(
    st.text(max_size=30),
    st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=6)), max_size=5).map("".join),
)
paths = st.one_of(
    st.lists(st.one_of(st.sampled_from(["..", ".", "etc", "<b>", "a b", "#x", "?q", "%41", "文档"]), user_text),
             min_size=1, max_size=5).map(lambda parts: "/" + "/".join(p.replace("/", "") for p in parts)),
    st.sampled_from(["../../etc/passwd", "relative/../x.md", "C:\\Users\\x\\a.txt", "~/notes.md", "javascript:x"]),
)
times = st.one_of(st.just("2026-01-02T03:04:05Z"), user_text)


@st.composite
def notes_on(draw: st.DrawFn, doc_id: str) -> Note:
    exact, prefix, suffix = draw(user_text), draw(user_text), draw(user_text)
    start = draw(st.integers(0, 10_000))
    return Note(
        id=draw(st.one_of(st.uuids().map(lambda u: u.hex), user_text.filter(str.strip))),
        doc_id=doc_id,
        kind=draw(st.sampled_from(Kind)),
        target=Target(exact, prefix, suffix, start, start + len(exact), "hash"),
        created=draw(times),
        updated=draw(times),
        text=draw(user_text),
        tags=tuple(draw(st.lists(user_text, max_size=3))),
        name=draw(user_text),
        section=draw(user_text),
    )


@st.composite
def exports(draw: st.DrawFn) -> list[tuple[DocumentRef, list[Note]]]:
    out = []
    for _ in range(draw(st.integers(1, 2))):
        ref = DocumentRef(draw(user_text), draw(paths), draw(user_text), draw(user_text))
        out.append((ref, draw(st.lists(notes_on(ref.id), min_size=1, max_size=3))))
    return out


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.other: list[str] = []  # comments, processing instructions, declarations

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.other.append(f"comment {data!r}")

    def handle_pi(self, data: str) -> None:
        self.other.append(f"pi {data!r}")

    def handle_decl(self, decl: str) -> None:
        self.other.append(f"decl {decl!r}")

    def unknown_decl(self, data: str) -> None:
        self.other.append(f"unknown {data!r}")


@settings(SETTINGS, max_examples=150)
@given(documents=exports())
def test_html_export_holds_user_text_only_as_text(documents: list[tuple[DocumentRef, list[Note]]]) -> None:
    page = Page()
    page.feed(render("html", documents, exported=EXPORTED))
    page.close()
    assert page.other == ["decl 'doctype html'"]
    assert {tag for tag, _ in page.elements} <= ELEMENTS
    for tag, attrs in page.elements:
        assert set(attrs) <= ATTRIBUTES, (tag, attrs)
        if "href" in attrs:
            assert (attrs["href"] or "").startswith("file:"), attrs
    text = "".join(page.text)
    for ref, notes in documents:
        assert ref.title.strip() == "" or ref.title in text
        for note in notes:
            for value in (note.text, note.target.exact if note.kind is Kind.NOTE else note.name, *note.tags):
                assert not value.strip() or value in text, value


# -- reader export --output ------------------------------------------------------------------------

ESCAPES = ["../../outside.md", "/tmp/evil.md", "../" * 8 + "etc/passwd", "~/.bashrc", "./x/../../y"]


def snapshot(*roots: Path) -> dict[str, tuple[str, bytes | str]]:
    """Every file, link and folder under ``roots``: kind and content (a link's target)."""
    seen: dict[str, tuple[str, bytes | str]] = {}
    for root in roots:
        for folder, dirs, files in os.walk(root):
            for name in dirs + files:
                path = Path(folder, name)
                if path.is_symlink():
                    seen[str(path)] = ("link", os.readlink(path))
                elif path.is_dir():
                    seen[str(path)] = ("dir", b"")
                else:
                    seen[str(path)] = ("file", path.read_bytes())
    return seen


def hostile_store() -> None:
    """Notes whose document and note fields all point elsewhere: ../, absolute paths, ~."""
    store = Store(Paths.from_environment().data_dir)
    text = "Outside text. " + " ".join(ESCAPES) + " and more words after it."
    for number, escape in enumerate(ESCAPES):
        ref = DocumentRef(f"d0c{number}d0c1d0c1", escape, title=escape, source=escape)
        target = make_target(text, 14, 40, "hash")
        note = Note(f"note-{number}", ref.id, Kind.NOTE, target, "2026-01-02T03:04:05Z", "2026-01-02T03:04:05Z",
                    text=f"see {escape}\n{escape}", tags=(escape, "../"), name=escape, section=escape)
        store.put_note(ref, note)


@pytest.fixture
def sandbox(tmp_path: Path, reader_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    hostile_store()
    for folder in ("out", "cwd", "victim"):
        (tmp_path / folder).mkdir()
    (tmp_path / "victim" / "passwd").write_text("root:x:0:0\n")
    monkeypatch.chdir(tmp_path / "cwd")
    return tmp_path


def changes(before: dict[str, tuple[str, bytes | str]], after: dict[str, tuple[str, bytes | str]]) -> set[str]:
    """What changed, the store's cache of the documents' tags and states aside (it is rebuilt
    from the notes files whenever it is missing: reading the values may make it)."""
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    return {path for path in changed if not Path(path).name.startswith("doc-meta.sqlite")}


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_writes_only_the_output_file(
    sandbox: Path, reader_home: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    out = sandbox / "out" / f"notes.{fmt}"
    before = snapshot(sandbox, reader_home)
    assert main(["export", "--format", fmt, "--output", str(out)]) == 0
    assert changes(before, snapshot(sandbox, reader_home)) == {str(out)}
    assert "bashrc" in out.read_text(encoding="utf-8")  # the notes are there
    again = snapshot(sandbox, reader_home)
    assert main(["export", "--format", fmt, "--output", str(out), "--force"]) == 0
    assert changes(again, snapshot(sandbox, reader_home)) <= {str(out)}
    capsys.readouterr()


def test_a_relative_output_is_written_where_it_says(sandbox: Path, reader_home: Path) -> None:
    before = snapshot(sandbox, reader_home)
    assert main(["export", "--output", "../out/relative.md"]) == 0
    assert changes(before, snapshot(sandbox, reader_home)) == {str(sandbox / "out" / "relative.md")}


def test_a_symlinked_output_writes_the_file_it_leads_to(sandbox: Path, reader_home: Path) -> None:
    """The user named the link: the file it leads to is written in place, the link stays a link."""
    victim = sandbox / "victim" / "passwd"
    out = sandbox / "out" / "notes.json"
    out.symlink_to(victim)
    before = snapshot(sandbox, reader_home)
    assert main(["export", "--format", "json", "--output", str(out), "--force"]) == 0
    assert changes(before, snapshot(sandbox, reader_home)) == {str(victim)}
    assert out.is_symlink() and out.resolve() == victim.resolve()
    assert '"AnnotationCollection"' in victim.read_text()


@pytest.mark.parametrize("where", ["missing/notes.md", "missing/deeper/notes.md"])
def test_an_output_in_a_missing_folder_creates_nothing(
    sandbox: Path, reader_home: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    before = snapshot(sandbox, reader_home)
    assert main(["export", "--output", str(sandbox / "out" / where)]) != 0
    err = capsys.readouterr().err
    assert err.startswith("reader: ") and err.count("\n") == 1 and "no such folder" in err
    assert changes(before, snapshot(sandbox, reader_home)) == set()


def test_an_output_that_is_a_folder_writes_nothing(
    sandbox: Path, reader_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(sandbox, reader_home)
    assert main(["export", "--output", str(sandbox / "out")]) != 0
    assert "is a folder" in capsys.readouterr().err
    assert changes(before, snapshot(sandbox, reader_home)) == set()
