"""A book's declared language (dc:language) is kept, and its words are stemmed in it."""

from __future__ import annotations

from pathlib import Path

from reader.core.formats import read_document
from reader.core.formats.doc_cache import DocumentCache
from reader.core.search.analysis import analyze, language_marker, stemmed_counts
from reader.core.search.index import SearchIndex
from tests.unit.epub_fixtures import chapter, make_epub, nav, opf

# French words, but none of French's stop words: guessed from its words alone, the book is English
TEXT = "Chansons populaires: violons, guitares, mandolines, tambourins, accordéons anciens."


def french_book(declared: str = "fr-FR") -> bytes:
    package = opf(["ch1.xhtml"]).replace("<dc:language>en</dc:language>", f"<dc:language>{declared}</dc:language>")
    return make_epub({
        "OEBPS/ch1.xhtml": chapter("Musique", TEXT),
        "OEBPS/content.opf": package,
        "OEBPS/nav.xhtml": nav([("ch1.xhtml", "Musique")]),
    })


def test_the_declared_language_is_kept_and_read_back_from_the_cache(tmp_path: Path) -> None:
    path = tmp_path / "livre.epub"
    path.write_bytes(french_book())
    cache = DocumentCache(tmp_path / "parsed")
    assert read_document(path, cache=cache).language == "fr"
    assert read_document(path, cache=cache).language == "fr"  # read back
    path.write_bytes(french_book("not a language tag!"))
    assert read_document(path).language == ""


def test_a_declared_language_is_preferred_to_the_guess() -> None:
    terms = analyze(TEXT)
    assert language_marker("en") in stemmed_counts(terms)  # guessed: English
    declared = stemmed_counts(terms, "fr")
    assert language_marker("fr") in declared and language_marker("en") not in declared
    assert language_marker("en") in stemmed_counts(terms, "ja")  # no stemmer for it: guessed


def test_the_index_stems_a_book_in_its_declared_language(tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    (library / "livre.epub").write_bytes(french_book())
    index = SearchIndex(tmp_path / "index")
    index.update([library], optimize=False)
    with index.whoosh.searcher() as searcher:
        terms = {term.decode("utf-8") for term in searcher.reader().lexicon("stemmed")}
    assert language_marker("fr") in terms and language_marker("en") not in terms
