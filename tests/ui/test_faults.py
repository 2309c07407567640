"""Faults while the app runs: the disk full or read-only during a save, the search
index deleted or damaged mid-session, a listed document gone before it is opened.
The app keeps running, says so once, and loses nothing already saved."""

from __future__ import annotations

import errno
import shutil
import time

from reader.core.formats import read_document
from reader.core.notes import DocumentRef, Kind, Note, make_target, new_id, now
from reader.storage.paths import Paths
from reader.storage.store import Store
from reader.ui.app import ReaderApp
from reader.ui.screens.main import MainScreen
from reader.ui.screens.note_editor import NoteEditor
from reader.ui.widgets.document_list import DocumentList
from reader.ui.widgets.document_view import DocumentView
from tests.conftest import SEED
from tests.ui.conftest import palette_commands, shown, wait_until, wait_while_working


def messages(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def ready(app) -> bool:
    screen = app.screen
    return isinstance(screen, MainScreen) and not screen.library_loading and screen.search_index is not None and not screen.indexing


async def test_disk_full_during_a_save_keeps_the_saved_notes_and_says_so(monkeypatch):
    document = read_document(SEED)
    store = Store(Paths.from_environment().data_dir)
    start = document.text.index("smart cit")
    kept = Note(new_id(), document.id, Kind.NOTE, make_target(document.text, start, start + 30, document.text_hash), now(), now(), text="saved before")
    store.put_note(DocumentRef(document.id, str(SEED), document.title), kept)
    shard = store.path_of(document.id)
    before = shard.read_bytes()

    import reader.storage.atomic as atomic

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    app = ReaderApp([SEED.parent])
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.screen.query_one(DocumentView)
        await wait_until(pilot, shown(view))
        await pilot.press("tab", "j", "j", "v", "a")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditor))
        with monkeypatch.context() as patched:
            patched.setattr(atomic.os, "fsync", full)
            await pilot.press(*"lost?")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: any("No space left" in m for m in messages(app)))
            assert app.is_running
            # the new note stays on screen; what was saved is still on disk, whole
            assert len(view._notes) == 2
            assert shard.read_bytes() == before
        # space again: the next save works, and saves the note that could not be saved
        await pilot.press("b")
        await wait_until(pilot, lambda: len(Store(Paths.from_environment().data_dir).load(document.id).notes) == 3)
        texts = sorted(n.text for n in Store(Paths.from_environment().data_dir).load(document.id).notes)
        assert texts == ["", "lost?", "saved before"]


async def search_after_rebuild(pilot, app: ReaderApp) -> None:
    """Search for "zeta" on a broken index: it is rebuilt behind the scenes (and says so),
    and the same search then finds its document."""
    await pilot.press("slash")
    await pilot.press(*"zeta")
    await wait_until(pilot, lambda: any("rebuilding" in m for m in messages(app)), timeout=15)
    await wait_until(pilot, lambda: ready(app), timeout=15)
    app.screen.query_one("#search").value = "zeta "
    doc_list = app.screen.query_one(DocumentList)
    await wait_until(pilot, lambda: [h.title for h in doc_list.results or []] == ["Zeta Report"], timeout=15)


async def test_search_index_deleted_mid_session(library):
    app = ReaderApp([library])
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_until(pilot, lambda: ready(app))
        index_dir = app.screen.index_dir
        shutil.rmtree(index_dir)
        await search_after_rebuild(pilot, app)
        assert sum("rebuilding" in m for m in messages(app)) == 1


async def test_search_index_truncated_mid_session(library):
    app = ReaderApp([library])
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_until(pilot, lambda: ready(app))
        for segment in app.screen.index_dir.glob("*.seg") :
            segment.write_bytes(segment.read_bytes()[:100])
        for part in app.screen.index_dir.iterdir():
            if part.is_file() and part.suffix not in (".sqlite", ".lock"):
                part.write_bytes(part.read_bytes()[: max(1, part.stat().st_size // 3)])
        await search_after_rebuild(pilot, app)


async def test_a_listed_document_deleted_before_it_is_opened(library):
    app = ReaderApp([library])
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_until(pilot, lambda: not app.screen.library_loading)
        doc_list = app.screen.query_one(DocumentList)
        zeta = next(d for d in doc_list.documents if d.title == "Zeta Report")
        app.screen._watch_stop.set()  # no watcher: the list still shows it
        zeta.path.unlink()
        doc_list.select_document(zeta.id)
        await pilot.press("enter")
        await wait_until(pilot, lambda: any("zeta.txt" in m for m in messages(app)))
        assert app.is_running


async def test_the_data_folder_deleted_while_the_app_runs():
    app = ReaderApp([SEED.parent])
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.screen.query_one(DocumentView)
        await wait_until(pilot, shown(view))
        data = Paths.from_environment().data_dir
        await pilot.press("tab", "j", "j", "b")
        await wait_until(pilot, lambda: len(Store(data).load(view.document.id).notes) == 1)
        shutil.rmtree(data)
        await pilot.press("j", "j", "j", "b")
        await wait_until(pilot, lambda: len(Store(data).load(view.document.id).notes) == 1)
        assert app.is_running  # the folder is made again; the bookmark made since is kept


async def test_indexing_a_large_library_can_be_stopped_from_the_palette(tmp_path, monkeypatch):
    from reader.core.search.index import SearchIndex

    # The real update, held at its progress reports until it is cancelled (or 60 s), so
    # that it is still running however fast this machine indexes the library.
    real_update = SearchIndex.update

    def held_update(self, paths, *, progress=None, cancelled=None, **options):  # type: ignore[no-untyped-def]
        def report(done: int, total: int) -> None:
            if progress is not None:
                progress(done, total)
            deadline = time.monotonic() + 60
            while cancelled is not None and not cancelled() and time.monotonic() < deadline:
                time.sleep(0.01)

        return real_update(self, paths, progress=report, cancelled=cancelled, **options)

    monkeypatch.setattr(SearchIndex, "update", held_update)
    folder = tmp_path / "many"
    for number in range(600):
        sub = folder / f"part{number % 30}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"note{number}.md").write_text(f"# Note {number}\n\nWords {number} about topic {number % 97}.\n")
    app = ReaderApp([folder])
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_while_working(pilot, lambda: isinstance(app.screen, MainScreen) and app.screen.indexing, timeout=30)
        await pilot.press("ctrl+p")
        await pilot.press(*"Stop indexing")
        await wait_while_working(pilot, lambda: any(c.startswith("Stop indexing") for c in palette_commands(app)[:1]))
        await pilot.press("enter")
        main = app.screen_stack[0]
        await wait_while_working(pilot, lambda: not main.indexing and any("Indexing stopped" in m for m in messages(app)))
        # the update, held at its progress reports, sees the cancel and ends
        await wait_while_working(pilot, lambda: not any(w.group == "index" and w.is_running for w in app.workers))


async def test_a_notes_file_that_does_not_parse_is_named_and_never_overwritten():
    document = read_document(SEED)
    store = Store(Paths.from_environment().data_dir)
    shard = store.path_of(document.id)
    shard.parent.mkdir(parents=True, exist_ok=True)
    broken = b"schema_version: 1\nnotes:\n  - id: abc\n    text: [unclosed\n"
    shard.write_bytes(broken)
    app = ReaderApp([SEED.parent])
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.screen.query_one(DocumentView)
        await wait_until(pilot, shown(view))
        await wait_until(pilot, lambda: any(shard.name in m and "line" in m for m in messages(app)))
        await pilot.press("tab", "j", "b")
        await wait_until(pilot, lambda: any(m.startswith("Not saved") and shard.name in m for m in messages(app)))
        assert shard.read_bytes() == broken
        assert app.is_running
