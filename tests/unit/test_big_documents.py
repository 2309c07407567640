"""Long documents: a preview of the start, a parse that can be given up, hits found in pieces."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from reader.core import document as document_module
from reader.core.document import ParseStopped, count_words
from reader.core.formats import PREVIEW_CHARS, read_document
from reader.core.search import text_hits
from reader.core.search.highlight import find_hits
from reader.core.search.query import parse_query
from tests.conftest import SEED


@pytest.fixture
def long_text(tmp_path: Path) -> Path:
    """The seed article's body repeated past twice the preview's length, with curly quotes."""
    body = SEED.read_text(encoding="utf-8").split("\n\n", 2)[2]
    repeats = 2 * PREVIEW_CHARS // len(body) + 3
    path = tmp_path / "long.txt"
    path.write_text("A Long Read\n\n" + "\n\n".join(f"“Part {n}” {body}" for n in range(repeats)), encoding="utf-8")
    return path


def test_a_long_text_is_previewed_from_its_start(long_text: Path):
    previews = []
    document = read_document(long_text, preview=previews.append)
    assert len(previews) == 1
    preview = previews[0]
    assert 0 < len(preview.text) <= PREVIEW_CHARS * 5 // 4 < len(document.text)
    assert document.text.startswith(preview.text)  # the same offsets
    assert preview.title == document.title and preview.id == document.id
    # every block of the preview but its last is the whole document's, at the same place
    assert preview.blocks[:-1] == document.blocks[: len(preview.blocks) - 1]


def test_a_short_text_has_no_preview():
    previews = []
    read_document(SEED, preview=previews.append)
    assert previews == []


def test_a_parse_is_given_up_when_stop_says_so(long_text: Path):
    looks = []

    def stop() -> bool:
        looks.append(1)
        return len(looks) > 1

    with pytest.raises(ParseStopped):
        read_document(long_text, stop=stop)
    assert len(looks) == 2  # it looked before and while parsing, and stopped at once


def test_words_are_counted_the_same_in_pieces(long_text: Path, monkeypatch: pytest.MonkeyPatch):
    text = long_text.read_text(encoding="utf-8")
    whole = count_words(text)
    monkeypatch.setattr(document_module, "_PIECE", 1000)
    assert count_words(text) == whole
    assert whole[0] == sum(1 for _ in document_module._word().finditer(text))


def test_the_text_hash_is_worked_out_once(long_text: Path):
    document = read_document(long_text)
    assert document.text_hash == hashlib.sha1(document.text.encode("utf-8")).hexdigest()
    assert document.memo["text_hash"] == document.text_hash
    assert read_document(long_text) == document  # the memo takes no part in equality


@pytest.mark.parametrize("piece", [97, 1000, 1 << 20])
@pytest.mark.parametrize("typed", ['"innovation', '"i', '"hong kong', '"the government"', '"part 1'])
def test_hits_found_in_pieces_are_find_hits(long_text: Path, monkeypatch: pytest.MonkeyPatch, piece: int, typed: str):
    monkeypatch.setattr(text_hits, "PIECE", piece)
    monkeypatch.setattr(text_hits, "_MARGIN", 13)
    document = read_document(long_text)
    query = parse_query(typed, typing=True)
    expected = find_hits(document.text, query)
    assert expected
    assert text_hits.find_hits_in(document, query) == expected
    assert text_hits.folded_text(document) == document.memo["folded"]


def test_hit_counts_are_every_occurrence(long_text: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(text_hits, "PIECE", 1000)
    document = read_document(long_text)
    hits = text_hits.find_hits_in(document, parse_query('"innovation"'))
    assert len(hits) == len(re.findall(r"(?<!\w)innovation(?!\w)", document.text, re.IGNORECASE)) > 100


def test_a_search_is_given_up_when_stop_says_so(long_text: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(text_hits, "PIECE", 1000)
    document = read_document(long_text)
    with pytest.raises(text_hits.Stopped):
        text_hits.find_hits_in(document, parse_query('"the'), stop=lambda: True)


def test_a_long_text_is_cleaned_the_same_in_pieces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from reader.core import formats

    raw = ("Line one\r\nline two\x07 with a bell\u2028and more\r\n\r\n" * 500).encode("utf-8")
    path = tmp_path / "crlf.txt"
    path.write_bytes(raw)
    whole = read_document(path)
    monkeypatch.setattr(formats, "_CLEAN_PIECE", 37)
    assert read_document(path, stop=lambda: False) == whole


def test_a_fold_given_up_goes_on_where_it_stopped(long_text: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(text_hits, "PIECE", 1000)
    document = read_document(long_text)
    looks = []

    def stop() -> bool:
        looks.append(1)
        return len(looks) > 5

    with pytest.raises(text_hits.Stopped):
        text_hits.folded_text(document, stop)
    assert len(document.memo["folded_pieces"]) == 5  # kept for the next find
    folded: list[str] = []
    monkeypatch.setattr(text_hits, "_fold_piece", lambda piece: folded.append(piece) or piece.lower())
    assert text_hits.folded_text(document) == document.text[:5000].lower() + document.text[5000:].lower()
    assert folded[0] == document.text[5000:6000]  # the first five pieces were not folded again


def test_the_prose_test_counts_ascii_the_same_way_as_its_regex():
    from reader.core.formats import text as text_format

    every = "".join(chr(code) for code in range(128)) * 3 + "Plain words, 42 of them_here!"
    assert len(every.translate(text_format._LETTERS_AND_SPACE)) == len(text_format._NOT_LETTER.findall(every))
