"""The query language, odd queries, ranking basics, limits and "did you mean"."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.search.index import SearchIndex
from reader.core.search.query import MAX_CLAUSES, MAX_LENGTH, parse_query
from reader.core.search.searcher import Searcher
from tests.unit.search_library import library_searcher, names

DOCUMENTS = {
    "digital.txt": "Digital Economy Summit\n\nSource: Fund News\n\nThe digital economy grows. 数字经济的发展很快。",
    "cafe.md": "# Café Culture\n\nA **bold** guide to the café and its e-mail lists, for Python 3.11 users.\n",
    "rays.txt": "Opticks\n\nThe refrangibility of rays of light, and the colours of light.\n",
    "recipes.md": "# Recipes\n\nBread, butter and a digital scale. Don't forget the oven.\n",
    "python.md": "# Python Notes\n\nPython lists and list comprehensions. Source: none.\n",
    "zebra.txt": "Zebras\n\nStriped animals of the savanna. Zebras are not horses.\n",
}

FILLER = "Filler {number}\n\nThe filler text number {number}.\n"


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    # enough fillers for "limit" to matter
    yield from library_searcher(tmp_path_factory.mktemp("query-library"), DOCUMENTS, 60, filler=FILLER)


@pytest.mark.parametrize("typing", [False, True])
@pytest.mark.parametrize(
    "query, expected",
    [
        ("digital economy", {"digital.txt", "recipes.md"}),  # any word matches (all words first: see below)
        ("digital", {"digital.txt", "recipes.md"}),
        ("digital -economy", {"recipes.md"}),
        ("zebras OR bread", {"zebra.txt", "recipes.md"}),
        ('"refrangibility of rays"', {"rays.txt"}),
        ("title:zebras", {"zebra.txt"}),
        ("title:python", {"python.md"}),
        ("source:fund", {"digital.txt"}),
        ("source:news digital", {"digital.txt"}),
        ("cafe", {"cafe.md"}),  # accents folded
        ("CAFÉ", {"cafe.md"}),
        ("bold", {"cafe.md"}),  # Markdown **bold**
        ("e-mail", {"cafe.md"}),
        ("mail", {"cafe.md"}),
        ("3.11", {"cafe.md"}),
        ("don't", {"recipes.md"}),
        ("数字经济", {"digital.txt"}),  # CJK inside a sentence
        ("经济", {"digital.txt"}),
        ("comprehensions", {"python.md"}),
    ],
)
def test_query_language(searcher: Searcher, query: str, expected: set[str], typing: bool) -> None:
    # typing: the same text typed, followed by a space (no word left as a prefix)
    results = searcher.search(query + (" " if typing else ""), typing=typing, limit=100)
    if query == "digital economy":
        assert names(results)[0] == "digital.txt"  # the one with both words first
    assert set(names(results)) == expected, results.message


def test_phrase_needs_the_words_in_order(searcher: Searcher) -> None:
    assert names(searcher.search('"rays of light"')) == ["rays.txt"]
    assert names(searcher.search('"light of rays"')) == []


def test_the_word_being_typed_is_a_prefix(searcher: Searcher) -> None:
    assert names(searcher.search("refrang", typing=True)) == ["rays.txt"]
    assert names(searcher.search("zebra", typing=True)) == ["zebra.txt"]
    assert names(searcher.search("Zeb", typing=True)) == ["zebra.txt"]  # a title prefix
    assert "python.md" in names(searcher.search("list compre", typing=True))
    assert names(searcher.search("refrangib")) == []  # a finished query wants whole words (or their stems)


def test_title_matches_rank_first(searcher: Searcher) -> None:
    assert names(searcher.search("python"))[0] == "python.md"
    assert names(searcher.search("python", typing=True))[0] == "python.md"


def test_limit_is_respected(searcher: Searcher) -> None:
    assert len(searcher.search("filler", limit=5).hits) == 5
    assert len(searcher.search("filler", limit=50).hits) == 50
    assert len(searcher.search("filler", limit=500).hits) == 60
    assert searcher.search("filler", limit=5).total == 60
    assert len(searcher.search("fill", typing=True, limit=50).hits) == 50
    assert len(searcher.search("filler", limit=0).hits) == 1  # at least one


def test_snippets_only_for_the_rows_asked(searcher: Searcher) -> None:
    results = searcher.search("filler", limit=10, snippets=3)
    assert [bool(hit.snippet.text) for hit in results.hits] == [True] * 3 + [False] * 7
    assert all(hit.snippet.spans for hit in results.hits[:3])


def test_did_you_mean(searcher: Searcher) -> None:
    results = searcher.search("zebrsa")
    assert results.hits == ()
    assert results.suggestion == "zebras"
    assert searcher.search("refrangibilty rays").suggestion == "refrangibility rays"
    assert searcher.search("zebras").suggestion == ""
    assert searcher.search("zebrsa", typing=True).suggestion == ""  # not while typing


ODD_QUERIES = [
    "",
    " ",
    '"',
    '""',
    '"unclosed phrase',
    "AND",
    "OR",
    "OR OR OR",
    "zebras OR",
    "OR zebras",
    "-",
    "--",
    "-zebras",
    "- zebras",
    "title:",
    "title: zebras",
    "source:",
    "nosuchfield:zebras",
    "title:title:zebras",
    '":"',
    "*",
    "zeb*",
    "?",
    "a" * 1000,
    "zebras " * 200,
    "(zebras)",
    "[]{}()<>",
    "!@#$%^&*()_+=~`|\\/?.,;:'\"",
    "\\",
    "\x00\x01\x02",
    "\t\n\r",
    "🦓 zebras",
    "ζέβρα",
    "数",
    "한국어",
    "&&",
    "||",
    "+zebras",
    "zebras AND AND horses",
    "title:\"striped",
    "'",
    "’",
    "_",
    "__init__",
    "e-",
    "-e-",
    "3.",
    ".11",
    "...",
    "NOT zebras",
]


@pytest.mark.parametrize("typing", [False, True])
@pytest.mark.parametrize("query", ODD_QUERIES, ids=[repr(q[:20]) for q in ODD_QUERIES])
def test_odd_queries_never_raise(searcher: Searcher, query: str, typing: bool) -> None:
    parsed = parse_query(query, typing=typing)
    assert len(parsed.clauses) <= MAX_CLAUSES
    results = searcher.search(query, typing=typing)
    assert len(results.message) < 200
    assert all(hit.path.exists() for hit in results.hits)


@pytest.mark.parametrize(
    "query, message",
    [
        ("title:", "title: needs a word after it"),
        ("a" * (MAX_LENGTH + 1), f"query shortened to {MAX_LENGTH} characters"),
        ("-zebras", "add a word to search for, not only words to exclude"),
        (" ".join(f"w{i}" for i in range(MAX_CLAUSES + 16)), f"only the first {MAX_CLAUSES} words are used"),
    ],
)
def test_odd_queries_explain_themselves(query: str, message: str) -> None:
    assert message in parse_query(query).message


def test_every_keystroke_of_a_query(searcher: Searcher) -> None:
    text = 'title:"Digital Eco" -horses OR "rays'
    for end in range(len(text) + 1):
        searcher.search(text[:end], typing=True, limit=20, snippets=20)


def test_searcher_sees_new_documents_after_refresh(tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    (library / "one.txt").write_text("One\n\nAbout walruses.\n")
    index = SearchIndex(tmp_path / "index")
    index.update([library])
    searcher = Searcher(index)
    assert len(searcher.search("walruses", typing=True).hits) == 1
    (library / "two.txt").write_text("Two\n\nAlso about walruses.\n")
    index.update([library])
    assert len(searcher.search("walruses", typing=True).hits) == 1  # its snapshot
    searcher.refresh()
    assert len(searcher.search("walruses", typing=True).hits) == 2
    assert len(searcher.search("walruses").hits) == 2
    searcher.close()
