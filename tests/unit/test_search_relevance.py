"""Relevance: queries of any length find something, ranked; stems, stop words, long pastes, "did you mean"."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.search import spelling
from reader.core.search.index import SearchIndex
from reader.core.search.query import MAX_LENGTH, parse_query
from reader.core.search.searcher import Searcher
from tests.unit.search_library import library_searcher, names

DOCUMENTS = {
    "both.txt": "Wing flutter\n\nThe flutter of a swept wing at high speed was measured in the tunnel.\n",
    "wing.txt": "Slender wings\n\nA wing of small aspect ratio in a slipstream: the lift was measured.\n",
    "flutter.txt": "Panel flutter\n\nFlutter of thin panels in supersonic flow, a theory.\n",
    "cells.txt": "Cardiac lineage\n\nThe progenitor cells develop into the heart's muscle.\n",
    "boundary.txt": "Layers\n\nThe shock-sound wave interaction with a boundary layer.\n",
    "apart.txt": "Notes\n\nA sound idea: the wave came first, the shock later.\n",
    "french.txt": "Les chats\n\nLes chats sont dans le jardin et la maison, avec les chiens de la famille.\n",
}


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    yield from library_searcher(tmp_path_factory.mktemp("relevance"), DOCUMENTS, 40)


@pytest.mark.parametrize("typing", [False, True])
def test_a_question_finds_ranked_documents(searcher: Searcher, typing: bool) -> None:
    # most of its words are in no document, and no document has them all
    question = "what is known about the flutter of a swept wing at high speeds in wind tunnels? "
    results = searcher.search(question, typing=typing, limit=10)
    assert names(results)[0] == "both.txt"
    assert {"wing.txt", "flutter.txt"} <= set(names(results))
    assert results.total >= 3
    scores = [hit.score for hit in results.hits]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("typing", [False, True])
def test_documents_with_all_the_words_rank_first(searcher: Searcher, typing: bool) -> None:
    results = searcher.search("wing flutter ", typing=typing)
    assert names(results)[0] == "both.txt"
    assert set(names(results)[1:3]) == {"wing.txt", "flutter.txt"}
    # even when a partial match has the rarer word many times
    results = searcher.search("slipstream flutter ", typing=typing)
    assert set(names(results)) == {"wing.txt", "flutter.txt", "both.txt"}


def test_typed_and_finished_queries_agree(searcher: Searcher) -> None:
    for query in ("wing flutter", "progenitors develop", "panel theory wing"):
        assert names(searcher.search(query)) == names(searcher.search(query + " ", typing=True))


def test_stems_find_other_forms(searcher: Searcher) -> None:
    assert names(searcher.search("progenitors developing"))[0] == "cells.txt"
    assert names(searcher.search("measuring"))[:2] != []
    assert set(names(searcher.search("panel"))) == {"flutter.txt"}  # "panels"


def test_the_word_being_typed_also_matches_by_its_stem(searcher: Searcher) -> None:
    # no word of the library starts with "measuring", but "measured" shares its stem: the
    # last keystroke of a query finds what the finished query finds, never "No results"
    assert "both.txt" in names(searcher.search("measuring"))
    assert set(names(searcher.search("measuring", typing=True))) == set(names(searcher.search("measuring")))
    assert names(searcher.search("swept measuring", typing=True))[0] == "both.txt"


def test_stop_words_neither_require_nor_exclude(searcher: Searcher) -> None:
    # "the" is in most documents: it does not decide which come first, nor does "-the" exclude
    assert names(searcher.search("the panel"))[0] == "flutter.txt"
    assert "flutter.txt" in names(searcher.search("panel -the"))
    # a query of stop words only still finds them
    assert names(searcher.search("the", limit=100))
    # stop words of the library's other languages: "les chats" is "chats"
    assert names(searcher.search("les chats"))[0] == "french.txt"


def test_exclusions_phrases_and_fields_keep_their_meaning(searcher: Searcher) -> None:
    assert "both.txt" not in names(searcher.search("wing flutter -swept"))
    assert names(searcher.search('"shock sound wave"')) == ["boundary.txt"]
    assert names(searcher.search('"wave shock"')) == []
    assert names(searcher.search("title:flutter")) and set(names(searcher.search("title:flutter"))) == {
        "both.txt",
        "flutter.txt",
    }
    assert set(names(searcher.search("flutter OR slipstream"))) == {"both.txt", "flutter.txt", "wing.txt"}


def test_hyphenated_words_are_their_words(searcher: Searcher) -> None:
    results = names(searcher.search("shock-sound wave interaction"))
    assert results[0] == "boundary.txt"
    assert "apart.txt" in results  # the words apart still count


def test_long_pasted_text_is_cut_at_a_word_boundary() -> None:
    words = [f"word{n:03}" for n in range(400)]
    parsed = parse_query(" ".join(words))
    assert len(parsed.text) <= MAX_LENGTH
    kept = [w for clause in parsed.clauses for w in clause.words]
    assert all(word in words for word in kept)  # no fragment of a word
    assert "query shortened" in parsed.message
    # an OR chain cut short: every part is an alternative, none a required fragment
    parsed = parse_query(" OR ".join(words))
    assert len(parsed.clauses) == 1
    options = [parsed.clauses[0], *parsed.clauses[0].alternatives]
    assert all(option.words[0] in words for option in options)
    # typing: the last word kept is whole, not a prefix
    parsed = parse_query(" ".join(words), typing=True)
    assert not any(clause.prefix for clause in parsed.clauses)


def test_long_pasted_text_finds_something(searcher: Searcher) -> None:
    pasted = "the flutter of panels " + ("unrelated words about nothing in particular " * 40)
    assert names(searcher.search(pasted))[0] == "flutter.txt"


def test_did_you_mean_only_for_unknown_words(searcher: Searcher) -> None:
    assert searcher.search("fluttr").suggestion == "flutter"
    assert searcher.search("wing fluttr").suggestion == "wing flutter"  # offered beside results
    assert searcher.search("progenitors").suggestion == ""  # known by its stem
    assert searcher.search("wing flutter").suggestion == ""


def test_did_you_mean_examines_a_bounded_number_of_candidates(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    library = tmp_path / "library"
    library.mkdir()
    # 3,000 words of the same first letter and length as the misspelled one
    words = [f"qa{chr(97 + a)}{chr(97 + b)}{chr(97 + c)}x" for a in range(26) for b in range(26) for c in range(5)]
    for start in range(0, len(words), 500):
        (library / f"w{start}.txt").write_text("Words\n\n" + " ".join(words[start : start + 500]) + "\n")
    (library / "target.txt").write_text("Target\n\nquixotic\n")
    index = SearchIndex(tmp_path / "index")
    index.update([library])
    monkeypatch.setattr(spelling, "MAX_EXAMINED", 500)
    searcher = Searcher(index)
    try:
        searcher.search("qaxxxxy")
        assert 0 < searcher._speller.examined <= 500
        assert searcher.search("quixotik").suggestion == "quixotic"
    finally:
        searcher.close()


def test_did_you_mean_for_a_typo_that_shares_a_rare_stem(tmp_path: Path) -> None:
    """'goverment' shares the stem 'gover' with 'governess' in one novel, while 'government'
    is in every report: the typo is corrected, and the novel is still found by the stem."""
    from tests.unit.search_library import library_searcher

    documents = {"novel.txt": "A Novel\n\nThe governess walked in the garden with the children.\n"}
    for number in range(12):
        documents[f"report-{number:02}.txt"] = f"Report {number}\n\nThe government spent more on roads this year.\n"
    for searcher in library_searcher(tmp_path, documents, fillers=0):
        found = searcher.search("goverment")
        assert found.suggestion == "government"
        assert [hit.path.name for hit in found.hits] == ["novel.txt"]
        assert searcher.search("governesses").suggestion == ""  # another form of a word it has
        # while typing: the last keystroke finds the novel by the stem, and offers the correction;
        # a word still being typed is not corrected
        typed = searcher.search("goverment", typing=True)
        assert [hit.path.name for hit in typed.hits] == ["novel.txt"]
        assert searcher.suggest_typed(typed) == "government"
        assert searcher.suggest_typed(searcher.search("governm", typing=True)) == ""
        assert searcher.suggest_typed(searcher.search("governesses", typing=True)) == ""
