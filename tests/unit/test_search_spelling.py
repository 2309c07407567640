""""Did you mean" from the vocabulary, true hit counts in long documents, a superseded search."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh.reading import IndexReader

from reader.core.search import searcher as searcher_module
from reader.core.search.index import SearchIndex
from reader.core.search.query import parse_query
from reader.core.search.searcher import SNIPPET_SCAN, TYPING_SCAN, Searcher
from reader.core.search.spelling import swapped

KNIGHTLEY = 1_188  # as often as in the corpus's Emma


def _long_text() -> str:
    """A book far longer than what a snippet reads, "Knightley" spread all through it."""
    paragraphs = []
    for number in range(KNIGHTLEY):
        paragraphs.append(f"Chapter part {number}. Mr. Knightley walked on while the weather held; " + "filler " * 40)
    text = "Emma\n\n" + "\n\n".join(paragraphs) + "\n"
    assert len(text) > 2 * SNIPPET_SCAN
    return text


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("spelling")
    library = root / "library"
    library.mkdir()
    (library / "emma.txt").write_text(_long_text(), encoding="utf-8")
    for number in range(6):  # "government" in more documents than "governmental"
        (library / f"politics-{number}.txt").write_text(
            f"Politics {number}\n\nThe government met. The government spoke about the budget.\n"
        )
    (library / "rare.txt").write_text("Rare\n\nA governmental report, and a garment.\n")
    (library / "gone.txt").write_text("Gone\n\nThe word zyzzogeton is here for a while.\n")
    index = SearchIndex(root / "index")
    index.update([library])
    yield index, library


@pytest.fixture
def searcher(built):  # type: ignore[no-untyped-def]
    index, _ = built
    searcher = Searcher(index)
    yield searcher
    searcher.close()


def test_did_you_mean_finds_the_closest_common_word(searcher: Searcher) -> None:
    assert searcher.search("goverment").suggestion == "government"
    assert searcher.suggest(parse_query("goverment")) == "government"
    assert searcher.suggest(parse_query("govrenment")) == "government"  # two letters swapped
    assert searcher.suggest(parse_query("the goverment budjet")) == "the government budget"
    assert searcher.suggest(parse_query("government")) == ""  # nothing to correct
    assert searcher.suggest(parse_query("xqzvw")) == ""  # nothing close


def test_did_you_mean_does_not_walk_the_term_graph(searcher: Searcher, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whoosh's corrector took minutes on the corpus: it is not used at all."""

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the corrector was asked")

    monkeypatch.setattr(IndexReader, "corrector", refuse)
    assert searcher.suggest(parse_query("goverment")) == "government"


def test_did_you_mean_skips_words_no_longer_indexed(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    index, library = built
    searcher = Searcher(index)
    try:
        assert searcher.suggest(parse_query("zyzzogetin")) == "zyzzogeton"
        (library / "gone.txt").write_text("Gone\n\nNothing left.\n")
        index.update([library])
        searcher.refresh()
        # the vocabulary still counts it (counts only grow), the index no longer has it
        assert searcher.suggest(parse_query("zyzzogetin")) == ""
    finally:
        searcher.close()


def test_swapped() -> None:
    assert swapped("smrat", "smart")
    assert not swapped("smart", "smart")
    assert not swapped("smrta", "smart")
    assert not swapped("abc", "abcd")


@pytest.mark.parametrize("typing", [False, True])
def test_hit_counts_are_true_counts_in_a_long_document(searcher: Searcher, typing: bool) -> None:
    for query in ("knightley", "Knightley weather", "knightl"):
        hits = searcher.search(query, typing=typing).hits
        if query == "knightl" and not typing:
            assert hits == ()  # a finished query does not complete words
            continue
        emma = next(hit for hit in hits if hit.path.name == "emma.txt")
        expected = KNIGHTLEY * (2 if "weather" in query else 1)
        assert (emma.hits, emma.exact) == (expected, True), query


def test_a_phrase_in_a_long_document_is_a_lower_bound(searcher: Searcher) -> None:
    typed = searcher.search('"mr knightley"', typing=True).hits[0]
    assert not typed.exact
    assert 0 < typed.hits < KNIGHTLEY  # what the beginning holds
    assert typed.hits >= TYPING_SCAN // 500
    whole = searcher.search('"mr knightley"', full_counts=True).hits[0]  # the command line reads it all
    assert (whole.hits, whole.exact) == (KNIGHTLEY, True)


def test_short_documents_are_counted_exactly(searcher: Searcher) -> None:
    hits = {hit.path.name: (hit.hits, hit.exact) for hit in searcher.search("government", typing=True).hits}
    assert hits == {**{f"politics-{n}.txt": (2, True) for n in range(6)}, "rare.txt": (1, True)}  # governmental


def test_a_superseded_search_stops_before_snippets_and_suggestions(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []
    real = searcher_module.make_snippet

    def counting(text, *args, **kwargs):  # type: ignore[no-untyped-def]
        made.append(text[:10])
        return real(text, *args, **kwargs)

    monkeypatch.setattr(searcher_module, "make_snippet", counting)
    results = searcher.search("government", typing=True, superseded=lambda: True)
    assert results.hits == () and made == []
    asked = iter([False, False])  # ranked, one snippet made, then superseded
    results = searcher.search("government", typing=True, superseded=lambda: next(asked, True))
    assert len(made) == 1 and len(results.hits) == 1
    assert searcher.search("goverment", superseded=lambda: True).suggestion == ""
    assert searcher.suggest(parse_query("goverment"), superseded=lambda: True) == ""
