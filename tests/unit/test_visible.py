"""The one sanitiser for everything shown: reader.core.visible."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from reader.core.visible import has_unsafe, visible, visible_in_place, visible_json, visible_json_text


def _terminal_safe(text: str, *, multiline: bool = False) -> bool:
    allowed = {"\t", "\n"} if multiline else set()
    return not any(
        (ord(c) < 0x20 and c not in allowed)
        or 0x7F <= ord(c) <= 0x9F
        or c in "\u2028\u2029\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
        or 0xD800 <= ord(c) <= 0xDFFF
        for c in text
    )


def test_escape_sequences_are_made_visible() -> None:
    assert visible("a\x1b]0;pwned\x07b") == "a\u241b]0;pwned\u2407b"
    assert visible("\x1b[2J") == "\u241b[2J"
    assert visible("\x1b]52;c;ZXZpbA==\x07") == "\u241b]52;c;ZXZpbA==\u2407"
    assert visible("csi\x9b2J") == "csi\\x9b2J"
    assert visible("del\x7f") == "del\u2421"


def test_bidi_controls_become_marks_and_nothing_is_reordered() -> None:
    assert visible("abc\u202edcba.txt") == "abc\u27e8RLO\u27e9dcba.txt"
    assert visible("\u2066x\u2069") == "\u27e8LRI\u27e9x\u27e8PDI\u27e9"
    assert visible("\u200fa\u061c") == "\u27e8RLM\u27e9a\u27e8ALM\u27e9"


def test_line_ends_tabs_and_surrogates() -> None:
    assert visible("a\tb\nc\rd") == "a b\u240ac\u240dd"
    assert visible("a\tb\nc\rd", multiline=True) == "a\tb\nc\u240dd"
    assert visible("x\u2028y", multiline=True) == "x\ny"
    assert visible("bad\udcffname") == "bad\ufffdname"


def test_ordinary_text_is_unchanged() -> None:
    for text in ("Moderation in [/r/python] threads", "日本語のテキスト", "émoji 🎉", "[link=https://x]"):
        assert visible(text) == text
        assert not has_unsafe(text)
    assert has_unsafe("\x1b")


@given(st.text())
def test_visible_never_lets_a_control_through(text: str) -> None:
    assert _terminal_safe(visible(text))
    assert _terminal_safe(visible(text, multiline=True), multiline=True)


@given(st.recursive(st.none() | st.text() | st.integers(), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)))
def test_visible_json_is_lossless_and_safe(value: object) -> None:
    for out in (visible_json(value), visible_json(value, indent=1), visible_json_text(json.dumps(value, ensure_ascii=False, indent=2))):
        assert _terminal_safe(out, multiline=True)
        assert json.loads(out) == value


@given(st.text())
def test_visible_in_place_keeps_offsets(text: str) -> None:
    for multiline in (False, True):
        shown = visible_in_place(text, multiline=multiline)
        assert len(shown) == len(text)
        assert _terminal_safe(shown, multiline=multiline)
    assert visible_in_place("a\u202eb\x1bc\x9bd\udcff") == "a\ufffdb\u241bc\ufffdd\ufffd"
