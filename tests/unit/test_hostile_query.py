"""Hostile search input: the query parser and the highlighters never raise and stay in bounds.

Property-based (Hypothesis, derandomized, no example database): arbitrary strings and
strings built from the query language's own pieces (quotes, ``AND``/``OR``, fields
with nothing after them, ``*``, ``-``, control characters, combining marks, CJK,
a thousand characters), parsed as typed and as submitted; then ``find_hits`` and
``make_snippet`` on arbitrary texts with those queries.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.search.highlight import SNIPPET_WIDTH, find_hits, fold_text, hit_pattern, make_snippet
from reader.core.search.query import FIELDS, MAX_CLAUSES, MAX_LENGTH, ParsedQuery, parse_query

SETTINGS = settings(
    derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

PIECES = [
    '"', '""', "AND", "OR", "and", "|", "||", "&&", "+", "-", "--", "*", "?", "title:", "source:", "by:",
    "section:", "body:", "TITLE:", "foo:", "http://x", ":", " ", "  ", "\t", "\n", "\r", "\x00",
    "\x1b[31m", "\x7f", "\u200b", "\ufeff", "\u2028", "é", "É", "e\u0301", "ß", "ﬁ", "İ", "ǅ", "Ⅻ", "١٢٣",
    "中文", "数字经济", "ー", "々", "한국어", "😀", "word", "Word", "e-mail", "3.11", "don't", "’", "_", "\\",
    "(", ")", "[", "~", "^",
]
query_text = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from(PIECES), max_size=40).map("".join),
    st.lists(st.sampled_from(PIECES), max_size=40).map(" ".join),
    st.text(min_size=900, max_size=1100),
)
some_text = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(PIECES), max_size=120).map("".join),
    st.lists(st.sampled_from(PIECES), max_size=120).map(" ".join),
)


def assert_well_formed(parsed: ParsedQuery, typing: bool) -> None:
    assert len(parsed.text) <= MAX_LENGTH
    assert "\n" not in parsed.message
    assert len(parsed.clauses) <= MAX_CLAUSES
    assert parsed.positive == tuple(clause for clause in parsed.clauses if not clause.negated)
    assert parsed.empty == (not parsed.positive)
    for index, clause in enumerate(parsed.clauses):
        for option in (clause, *clause.alternatives):
            assert option.words and all(word and not any(c.isspace() for c in word) for word in option.words)
            assert option.field is None or option.field in FIELDS
            assert not option.prefix or (typing and not option.negated)
        assert not clause.prefix or index == len(parsed.clauses) - 1
    for words, _ in parsed.terms():
        assert words


@settings(SETTINGS, max_examples=600)
@given(text=query_text, typing=st.booleans())
def test_any_query_parses(text: str, typing: bool) -> None:
    assert_well_formed(parse_query(text, typing=typing), typing)


@pytest.mark.parametrize("typing", [False, True])
@pytest.mark.parametrize(
    "text",
    ['"', '"unclosed phrase', "AND", "OR", "a OR", "OR b", "title:", "title: ", 'source:""', "*", "-", "-word",
     "- -", "a" * 1000, "word " * 200, "\x00\x01\x02", "\x1b[2J", "\t\n\r", "", " ", "title:中文 -by:x OR"],
)
def test_awkward_queries(text: str, typing: bool) -> None:
    parsed = parse_query(text, typing=typing)
    assert_well_formed(parsed, typing)
    find_hits(text, parsed)
    make_snippet(text, hit_pattern(parsed))


@settings(SETTINGS, max_examples=500)
@given(query=query_text, text=some_text, typing=st.booleans())
def test_hits_are_in_order_and_inside_the_text(query: str, text: str, typing: bool) -> None:
    spans = find_hits(text, parse_query(query, typing=typing))
    previous = 0
    for start, end in spans:
        assert previous <= start < end <= len(text)
        previous = end


@settings(SETTINGS, max_examples=500)
@given(
    query=query_text,
    text=some_text,
    width=st.integers(1, 2 * SNIPPET_WIDTH),
    scan=st.none() | st.integers(0, 500),
)
def test_snippets_stay_in_bounds(query: str, text: str, width: int, scan: int | None) -> None:
    snippet, count = make_snippet(text, hit_pattern(parse_query(query, typing=True)), width=width, scan=scan)
    assert count >= 0
    assert len(snippet.text) <= width + 2  # the window and an ellipsis each side
    for start, end in snippet.spans:
        assert 0 <= start < end <= len(snippet.text)


@settings(SETTINGS, max_examples=300)
@given(st.text(max_size=400))
def test_folding_keeps_every_offset(text: str) -> None:
    assert len(fold_text(text)) == len(text)


@settings(SETTINGS, max_examples=400)
@given(
    word=st.text(st.characters(whitelist_categories=["Ll", "Lu", "Lo", "Nd"]), min_size=1, max_size=12),
    before=st.text(max_size=80),
    after=st.text(max_size=80),
    typing=st.booleans(),
)
def test_a_word_in_the_text_is_found_where_it_is(word: str, before: str, after: str, typing: bool) -> None:
    text = f"{before} {word} {after}"
    at = len(before) + 1
    parsed = parse_query(word if typing else word + " ", typing=typing)
    if parsed.empty:
        return
    assert any(start <= at < end for start, end in find_hits(text, parsed))
    assert make_snippet(text, hit_pattern(parsed))[1] >= 1
