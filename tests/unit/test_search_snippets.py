"""Search results easy to read: snippets and hit counts follow the stems the ranking used,
show the passage with the words (never a title or a URL that merely looks like one), and
typed and finished queries find the same documents (CJK included)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.search import searcher as searcher_module
from reader.core.search.index import SearchIndex
from reader.core.search.searcher import Searcher
from tests.unit.search_library import library_searcher

LONG_FILLER = "Plain words of no interest fill this page of the report. " * 4000  # past SNIPPET_SCAN

DOCUMENTS = {
    "cells.txt": "Cardiac lineage\n\nThe progenitors develop into muscle. One progenitor cell divides.\n",
    "driver.txt": "The bttv driver\n\nhttps://example.org/bttv\n\n" + "Tuner notes. " * 1200 + "A smart city uses it.\n",
    "long.txt": "Long report\n\n" + "Progenitors here. " + LONG_FILLER + "More progenitors, a progenitor.\n",
    "数字.txt": "数字报告\n\n我们谈数字经历，也谈经济的发展。\n",  # 数字, 字经, 经济: all apart
    "经济.txt": "经济报告\n\n我们发展数字经济，推动产业升级。\n",
    "germany.txt": "Die Häuser\n\nDie Häuser und das Haus sind in der Stadt, und die Stadt ist groß und alt.\n",
}


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    yield from library_searcher(tmp_path_factory.mktemp("snippets"), DOCUMENTS, 20)


def marked(hit) -> list[str]:  # type: ignore[no-untyped-def]
    return [hit.snippet.text[a:b] for a, b in hit.snippet.spans]


def by_name(results) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {hit.path.name: hit for hit in results.hits}


@pytest.mark.parametrize("full_counts", [False, True])
def test_a_document_found_by_its_stem_shows_it_marked_and_counted(searcher: Searcher, full_counts: bool) -> None:
    results = searcher.search("progenitor", full_counts=full_counts)
    hits = by_name(results)
    cells = hits["cells.txt"]
    assert cells.hits == 2  # progenitors, progenitor
    assert {word.lower() for word in marked(cells)} == {"progenitors", "progenitor"}
    long = hits["long.txt"]  # read in part: the rest counted from the stemmed postings
    assert long.hits == 3 and long.exact
    assert marked(long) and {word.lower() for word in marked(long)} <= {"progenitors", "progenitor"}


def test_the_stems_of_the_document_language(searcher: Searcher) -> None:
    hit = by_name(searcher.search("häuser"))["germany.txt"]
    assert {word.lower() for word in marked(hit)} == {"häuser", "haus"}
    assert hit.hits == 3  # the title's Häuser too


@pytest.mark.parametrize("typing", [False, True])
def test_a_snippet_shows_a_marked_match_never_the_title_or_url(searcher: Searcher, typing: bool) -> None:
    # the match is past what typing looks at first (the beginning is the title and a URL)
    results = searcher.search("smart city" + ("" if typing else " "), typing=typing)
    hit = by_name(results)["driver.txt"]
    assert "bttv" not in hit.snippet.text
    assert {word.lower() for word in marked(hit)} >= {"smart"}
    for hit in results.hits:  # every snippet shown has a word marked
        assert not hit.snippet.text or hit.snippet.spans


def test_a_document_without_its_words_in_the_text_has_no_snippet(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the title is matched by its edge n-grams while the word is typed: no text to show
    results = searcher.search("bt", typing=True)
    hit = by_name(results)["driver.txt"]
    assert hit.snippet.text == "" or hit.snippet.spans


@pytest.mark.parametrize("query", ["数字经济", "经济"])
def test_typed_and_finished_cjk_queries_find_the_same(searcher: Searcher, query: str) -> None:
    typed = [hit.path.name for hit in searcher.search(query, typing=True).hits]
    finished = [hit.path.name for hit in searcher.search(query).hits]
    assert typed == finished
    for hit in searcher.search(query, typing=True).hits:
        assert query in marked(hit)


def test_cjk_words_apart_are_not_the_word(searcher: Searcher) -> None:
    # 数字 … 经济 apart is not 数字经济: neither the app (typing) nor the command line finds it
    for typing in (True, False):
        assert [hit.path.name for hit in searcher.search("数字经济", typing=typing).hits] == ["经济.txt"]


def test_snippets_only_where_asked(searcher: Searcher, monkeypatch: pytest.MonkeyPatch) -> None:
    made = []
    real = searcher_module.make_snippet

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        made.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(searcher_module, "make_snippet", counting)
    results = searcher.search("filler", limit=20, snippets=3)
    assert len(results.hits) == 20 and len(made) == 3
    assert all(not hit.snippet.text for hit in results.hits[3:])




def test_did_you_mean_for_a_paste_of_typos_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reader.core.search import spelling
    from reader.core.search.query import parse_query

    library = tmp_path / "library"
    library.mkdir()
    words = [f"q{chr(97 + a)}{chr(97 + b)}{chr(97 + c)}ix" for a in range(6) for b in range(6) for c in range(6)]
    (library / "many.txt").write_text("Words\n\n" + " ".join(words) + "\n")
    (library / "target.txt").write_text("Target\n\nquixotic\n")
    index = SearchIndex(tmp_path / "index")
    index.update([library])
    monkeypatch.setattr(searcher_module, "QUERY_EXAMINED", 600)
    spent = []
    real = spelling.Speller.correct

    def counting(self, word, indexed, limit=spelling.MAX_EXAMINED):  # type: ignore[no-untyped-def]
        found = real(self, word, indexed, limit)
        spent.append(self.examined + self.read)
        return found

    monkeypatch.setattr(spelling.Speller, "correct", counting)
    searcher = Searcher(index)
    try:
        typos = " ".join(f"qa{chr(97 + n % 6)}zix" for n in range(64))  # none indexed, each close to many words
        searcher.suggest(parse_query(typos))
        assert 0 < len(spent) < 64  # words past the budget are left as typed
        assert sum(spent[:-1]) < 600  # the last word begun within the budget
        spent.clear()
        assert searcher.suggest(parse_query("quixotik")) == "quixotic"  # one word: as before
    finally:
        searcher.close()


def test_in_a_document_the_words_follow_the_stems_of_its_language() -> None:
    from dataclasses import replace

    from reader.core.search.query import parse_query
    from reader.core.search.text_hits import document_language, find_hits_in

    text = "Die Häuser\n\nDie Häuser und das Haus sind in der Stadt, und die Stadt ist groß und alt.\n"
    document = read_document_from(text)
    assert document_language(document) == "de"
    hits = find_hits_in(document, parse_query("häuser"))
    assert [document.text[a:b] for a, b in hits] == ["Häuser", "Häuser", "Haus"]
    # a language the file declares is the one the index stemmed it in
    declared = replace(read_document_from("The houses\n\nThe houses and the house.\n"), language="en")
    assert [declared.text[a:b] for a, b in find_hits_in(declared, parse_query("house"))] == ["houses", "houses", "house"]


def read_document_from(text: str):  # type: ignore[no-untyped-def]
    import tempfile

    from reader.core.formats import read_document

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.txt"
        path.write_text(text, encoding="utf-8")
        return read_document(path)


def test_a_keystroke_reads_past_the_beginnings_of_a_few_documents_only(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Forty long documents hold the word only far in: one keystroke reads farther into a
    few of them (TYPING_FARTHER characters in all), the others wait for the finished query."""
    from reader.core.search import searcher as searcher_module
    from tests.unit.search_library import library_searcher

    monkeypatch.setattr(searcher_module, "TYPING_FARTHER", 50_000)
    padding = "Nothing to see in this sentence at all. " * 1_000  # 40,000 characters
    documents = {f"long-{n:02}.txt": f"Long {n}\n\n{padding}\n\nThe walrus sang.\n" for n in range(40)}
    for searcher in library_searcher(tmp_path, documents, fillers=0):
        read: list[int] = []
        text = searcher._store.text
        monkeypatch.setattr(searcher._store, "text", lambda doc_id, limit=None: read.append(limit) or text(doc_id, limit))
        results = searcher.search("walru", limit=40, typing=True, snippets=40)
        assert len(results.hits) == 40
        farther = [limit for limit in read if limit != searcher_module.TYPING_SCAN]
        assert 1 <= len(farther) <= 2  # 40,000 characters each, 50,000 allowed
        assert sum(1 for hit in results.hits if hit.snippet.text) == len(farther)
        assert all(hit.hits == 1 for hit in results.hits)  # counted from the postings where not read


def test_texts_read_past_their_beginnings_are_kept_for_the_next_keystrokes(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The next keystroke brings back the same documents: what was read (and folded) past
    their beginnings is not read again; a change committed to the index drops it."""
    from reader.core.search import searcher as searcher_module
    from tests.unit.search_library import library_searcher

    padding = "Nothing to see in this sentence at all. " * 1_000  # 40,000 characters
    documents = {f"long-{n}.txt": f"Long {n}\n\n{padding}\n\nThe walrus sang.\n" for n in range(3)}
    for searcher in library_searcher(tmp_path, documents, fillers=0):
        read: list[int] = []
        text = searcher._store.text
        monkeypatch.setattr(searcher._store, "text", lambda doc_id, limit=None: read.append(limit) or text(doc_id, limit))
        first = searcher.search("walru", limit=10, typing=True)
        assert [hit.snippet.text.count("walrus") for hit in first.hits] == [1, 1, 1]
        farther = sum(1 for limit in read if limit == searcher_module.SNIPPET_SCAN)
        assert farther == 3
        again = searcher.search("walrus", limit=10, typing=True)
        assert [hit.snippet.text.count("walrus") for hit in again.hits] == [1, 1, 1]
        assert sum(1 for limit in read if limit == searcher_module.SNIPPET_SCAN) == farther  # none read again

        changed = tmp_path / "library" / "long-0.txt"
        changed.write_text(f"Long 0\n\n{padding}\n\nThe walrus danced.\n", encoding="utf-8")
        searcher.index.update([tmp_path / "library"])
        searcher.refresh()
        danced = searcher.search("walrus danc", limit=10, typing=True)
        assert [hit.path.name for hit in danced.hits][0] == "long-0.txt"
        assert "danced" in danced.hits[0].snippet.text
