"""Search analysis: words as grep -w sees them, CJK bigrams, folding, hits and snippets."""

from __future__ import annotations

import pytest
from whoosh.analysis import Token

from reader.core.search.analysis import (
    analyze,
    edge_terms,
    fold,
    fold_text,
    query_tokens,
    word_analyzer,
)
from reader.core.search.highlight import find_hits, hit_pattern, make_snippet
from reader.core.search.query import parse_query


@pytest.mark.parametrize(
    "text, terms",
    [
        ("This is **bold** and *italic* text", ["this", "is", "bold", "and", "italic", "text"]),
        ("e-mail", ["e", "mail"]),
        ("don't", ["don", "t"]),
        ("Python 3.11", ["python", "3", "11"]),
        ("U.S. news", ["u", "s", "news"]),
        ("receive_text()", ["receive_text"]),
        ("Café NAÏVE Ångström", ["cafe", "naive", "angstrom"]),
        ("package-lock.json", ["package", "lock", "json"]),
        ("MD013 #123", ["md013", "123"]),
        ("Привет, мир", ["привет", "мир"]),
    ],
)
def test_words_are_what_grep_w_calls_words(text: str, terms: list[str]) -> None:
    assert query_tokens(text) == terms
    assert list(analyze(text)) == list(dict.fromkeys(terms))


def test_cjk_runs_become_bigrams_plus_single_characters() -> None:
    terms = analyze("数字经济，书")
    assert list(terms) == ["数字", "数", "字经", "字", "经济", "经", "济", "书"]
    # positions: one per bigram; a single character sits at its bigram's position
    assert terms["数字"] == [0] and terms["字经"] == [1] and terms["经济"] == [2]
    assert terms["济"] == [2] and terms["书"] == [3]
    assert query_tokens("数字经济") == ["数字", "字经", "经济"]  # no single characters in queries
    assert query_tokens("书") == ["书"]


def test_latin_next_to_cjk_is_its_own_word() -> None:
    assert query_tokens("我爱Python语言") == ["我爱", "python", "语言"]


def test_whoosh_analyzer_gives_the_same_terms_and_positions() -> None:
    text = "Le **café** d'Ångström: 数字经济的发展, e-mail 3.11 书"
    from_whoosh: dict[str, list[int]] = {}
    token: Token
    for token in word_analyzer()(text, positions=True):  # one Token object, changed each time
        from_whoosh.setdefault(token.text, []).append(token.pos)
    assert from_whoosh == dict(analyze(text))


def test_fold_keeps_every_offset() -> None:
    for text in ["Café ÉLAN", "İstanbul ß ﬁ", "数字 한국어 Ωmega", "plain ASCII"]:
        folded = fold_text(text)
        assert len(folded) == len(text)
    assert fold_text("Café ÉLAN") == "cafe elan"
    assert fold("Ångström") == "angstrom"
    assert fold_text("한국어") == "한국어"  # Hangul syllables are not decomposed


def test_edge_terms_are_the_prefixes_of_each_word() -> None:
    assert edge_terms("Dig it") == {"d": 1, "di": 1, "dig": 1, "i": 1, "it": 1}
    assert len(max(edge_terms("internationalization"), key=len)) == 12


def test_find_hits_matches_as_the_index_does() -> None:
    text = "我爱Python语言. A **bold** e-mail, e mail; email. Café! theory the"
    hits = find_hits(text, parse_query("python cafe e-mail bold the"))
    # "the" is a stop word: the ranking leaves it out, so does the highlighting
    assert [text[a:b] for a, b in hits] == ["Python", "bold", "e-mail", "e mail", "Café"]
    assert [text[a:b] for a, b in find_hits(text, parse_query("the"))] == ["the"]  # unless it is all there is


def test_hits_follow_the_stems_the_ranking_uses() -> None:
    text = "Cardiac progenitors develop; a progenitor cell. Cities and a city; citizens, cite. Progeny."
    hits = find_hits(text, parse_query("progenitor city"))
    assert [text[a:b] for a, b in hits] == ["progenitors", "progenitor", "Cities", "city"]
    # quoted: as written; typed: a prefix
    assert [text[a:b] for a, b in find_hits(text, parse_query('"progenitor"'))] == ["progenitor"]
    assert [text[a:b] for a, b in find_hits(text, parse_query("progenitor", typing=True))] == [
        "progenitors",
        "progenitor",
    ]
    # two words whose candidates begin alike: each word found by its own stem
    text = "generated generation general generals genes"
    pattern = hit_pattern(parse_query("generations general"))
    assert pattern is not None
    found = [(match.group(), pattern.group_of(match)) for match in pattern.finditer(text)]
    assert found == [("generated", 0), ("generation", 0), ("general", 1), ("generals", 1)]
    # in a text with CJK too
    text = "研究 progenitors 和 cities"
    assert [text[a:b] for a, b in find_hits(text, parse_query("progenitor city"))] == ["progenitors", "cities"]


def test_hits_follow_the_stems_of_the_document_language() -> None:
    text = "Die Häuser und das Haus"
    assert [text[a:b] for a, b in find_hits(text, parse_query("haus"), languages=("de",))] == ["Häuser", "Haus"]


def test_typed_word_is_highlighted_as_a_prefix() -> None:
    text = "universal Universität univ xuniv"
    hits = find_hits(text, parse_query("univ", typing=True))
    assert [text[a:b] for a, b in hits] == ["universal", "Universität", "univ"]
    cjk = "universal大学"
    assert [cjk[a:b] for a, b in find_hits(cjk, parse_query("univ", typing=True))] == ["universal"]


def test_cjk_hits_inside_a_sentence() -> None:
    text = "我们发展数字经济，数字 经济"
    hits = find_hits(text, parse_query("数字经济"))
    assert hits == [(4, 8)]


def test_snippet_window_and_spans() -> None:
    text = "word " * 100 + "the needle is here " + "word " * 100
    pattern = hit_pattern(parse_query("needle"))
    snippet, count = make_snippet(text, pattern)
    assert count == 1
    assert snippet.text.startswith("…") and snippet.text.endswith("…")
    a, b = snippet.spans[0]
    assert snippet.text[a:b] == "needle"


def test_snippet_shows_the_best_passage_not_the_first_hit() -> None:
    text = "Smart phones\n\n" + "smart devices. " + "filler words here " * 30 + "a smart city plan " + "more " * 40
    snippet, count = make_snippet(text, hit_pattern(parse_query("smart city")))
    assert count == 4
    marked = [snippet.text[a:b] for a, b in snippet.spans]
    assert "city" in marked and "smart" in marked


def test_snippet_prefers_the_body_to_the_title() -> None:
    text = "The needle report\n\n" + "word " * 60 + "one needle here " + "word " * 60
    snippet, _ = make_snippet(text, hit_pattern(parse_query("needle")))
    assert "report" not in snippet.text and "needle here" in snippet.text


def test_snippet_spans_survive_collapsed_whitespace() -> None:
    text = "word \n\n  word\t\tneedle   word\n\nneedles  end"
    snippet, count = make_snippet(text, hit_pattern(parse_query("needle")))
    assert snippet.text == "word word needle word needles end" and count == 2
    assert [snippet.text[a:b] for a, b in snippet.spans] == ["needle", "needles"]


def test_snippet_without_a_hit_is_the_beginning() -> None:
    snippet, count = make_snippet("First words.\n\nMore words.", hit_pattern(parse_query("absent")))
    assert count == 0 and snippet.text == "First words. More words." and snippet.spans == ()


def test_snippet_counts_only_what_it_scans() -> None:
    text = "hit " * 10 + "x " * 5000 + "hit " * 10
    pattern = hit_pattern(parse_query("hit"))
    assert make_snippet(text, pattern)[1] == 20
    assert make_snippet(text, pattern, scan=1000)[1] == 10
