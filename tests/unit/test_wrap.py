"""Wrapping by terminal cells into spans of the original text."""

from __future__ import annotations

import pytest

from reader.core.wrap import cell_width, wrap


def rows(text: str, width: int) -> list[str]:
    return [text[a:b] for a, b in wrap(text, width)]


def test_wraps_at_spaces():
    assert rows("the quick brown fox jumps", 10) == ["the quick", "brown fox", "jumps"]


def test_long_words_are_cut():
    assert rows("abcdefghijkl mn", 5) == ["abcde", "fghij", "kl mn"]


def test_newlines_always_break_and_blank_lines_stay():
    assert rows("one\n\ntwo three", 20) == ["one", "", "two three"]


def test_cjk_breaks_anywhere_by_cells():
    text = "数字经济是未来高科技竞争的主战场"
    out = rows(text, 10)
    assert all(cell_width(row) <= 10 for row in out)
    assert "".join(out) == text
    assert out[0] == "数字经济是"


@pytest.mark.parametrize("width", [1, 7, 13, 40, 80])
def test_rows_cover_every_non_space_character(width: int):
    text = "Hong Kong’s 数字经济 and the Greater Bay Area — naïve café, déjà vu " * 5
    spans = wrap(text, width)
    covered = "".join(text[a:b] for a, b in spans)
    assert covered.replace(" ", "") == text.replace(" ", "")
    assert all(cell_width(text[a:b]) <= max(width, 2) for a, b in spans)


def test_cjk_rows_never_start_with_closing_punctuation_nor_end_with_an_opener() -> None:
    from reader.core.wrap import NO_ROW_END, NO_ROW_START

    text = "数字经济是香港未来发展的重要方向，我们将继续推动「智慧城市」建设。同时，政府也会支持创新科技产业的发展！"
    for width in range(4, 40):
        rows = [text[start:end] for start, end in wrap(text, width)]
        assert "".join(rows) == text
        for row in rows[1:]:
            assert row[0] not in NO_ROW_START, (width, rows)
        for row in rows[:-1]:
            assert row[-1] not in NO_ROW_END, (width, rows)
            assert cell_width(row) <= width
