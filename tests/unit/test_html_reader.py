"""The HTML reader: metadata, boilerplate removal, blocks, and real saved pages."""

from __future__ import annotations

import csv
import os
import time
from pathlib import Path

import pytest

from reader.core.document import BlockKind, Document
from reader.core.formats import parse_bytes, read_document

CORPUS = Path(os.environ.get("READER_CORPUS") or Path(__file__).resolve().parents[2].parent / "shared" / "corpus")
HTML_FOLDERS = ("html-news-pages", "html-python-docs", "html-debian-docs", "html-npm-docs", "zh-html-docs")

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")


def parse(html: str, name: str = "page.html") -> Document:
    return parse_bytes(html.encode("utf-8"), Path(name), "html")


def body(doc: Document) -> list[tuple[BlockKind, str]]:
    return [(b.kind, b.text) for b in doc.blocks if b.kind not in (BlockKind.TITLE, BlockKind.BYLINE)]


def page(content: str, head: str = "") -> str:
    return f"<!doctype html><html><head>{head}</head><body>{content}</body></html>"


ARTICLE = "<p>The first paragraph of the article is long enough to count as real prose for the reader.</p>"


# -- metadata -----------------------------------------------------------------


def test_title_source_and_date_from_meta_tags() -> None:
    head = (
        '<title>Ignored | Site</title><meta property="og:title" content="Academics treated as second-class">'
        '<meta name="author" content="Richard Adams">'
        '<meta property="article:published_time" content="2020-01-20T06:05:18.000Z">'
    )
    doc = parse(page(ARTICLE, head))
    assert (doc.title, doc.source, doc.date) == ("Academics treated as second-class", "Richard Adams", "2020-01-20")
    assert doc.blocks[0].kind is BlockKind.TITLE and doc.blocks[0].text == doc.title
    assert doc.blocks[1].kind is BlockKind.BYLINE and doc.blocks[1].text == "Richard Adams · 2020-01-20"
    assert doc.blocks[2].kind is BlockKind.PARAGRAPH


def test_title_tag_loses_its_site_suffix_when_enough_is_left() -> None:
    assert parse(page(ARTICLE, "<title>A long enough headline here | Education | The Guardian</title>")).title == (
        "A long enough headline here"
    )
    assert parse(page(ARTICLE, "<title>5. Data Structures — Python 3.11 documentation</title>")).title == (
        "5. Data Structures"
    )
    assert parse(page(ARTICLE, "<title>Home - Site</title>")).title == "Home - Site"


def test_title_falls_back_to_h1_then_file_name() -> None:
    assert parse(page("<h1>Only a heading</h1>" + ARTICLE)).title == "Only a heading"
    assert parse(page(ARTICLE), name="saved-page.html").title == "saved-page"


def test_source_from_byline_element_or_site_name() -> None:
    doc = parse(page(f'<article><p class="byline">By Jane Doe</p>{ARTICLE}</article>'))
    assert doc.source == "Jane Doe"
    doc = parse(page(ARTICLE, '<meta property="og:site_name" content="The Site">'))
    assert doc.source == "The Site"
    doc = parse(page(ARTICLE, '<meta name="author" content="https://example.com/profile/x">'))
    assert doc.source == ""


def test_date_from_time_element_in_the_article() -> None:
    doc = parse(page(f'<article><time datetime="2019-06-20T10:00:00+02:00">20 June</time>{ARTICLE}</article>'))
    assert doc.date == "2019-06-20"
    assert [b.text for b in doc.blocks if b.kind is BlockKind.BYLINE] == ["2019-06-20"]


def test_heading_equal_to_the_title_is_not_shown_twice() -> None:
    doc = parse(page(f"<main><h1>Data Structures¶</h1>{ARTICLE}<h2>Lists</h2><p>More.</p></main>",
                     "<title>Data Structures — Python docs</title>"))
    assert [b.text for b in doc.blocks if b.kind is BlockKind.HEADING] == ["Lists"]
    assert doc.text.count("Data Structures") == 1


# -- boilerplate ----------------------------------------------------------------


def test_site_chrome_is_dropped() -> None:
    html = page(
        "<header><a href='/'>Logo</a><ul><li>Home</li><li>World</li></ul></header>"
        "<nav><a href='/a'>Menu entry</a></nav>"
        "<div class='cookie-banner'>We use cookies to improve</div>"
        "<div id='sidebar'><a href='/x'>Sidebar link</a></div>"
        "<div role='navigation'>Role navigation</div>"
        "<div aria-hidden='true'>Hidden by aria</div><div hidden>Hidden attribute</div>"
        "<script>var tracking = 1;</script><style>p { color: red }</style>"
        f"<main><h2>Section</h2>{ARTICLE}"
        "<div class='share-buttons'>Share on Twitter</div>"
        "<aside><a href='/r'>Related story</a></aside>"
        "<form><label>Email</label><input><button>Subscribe now</button></form></main>"
        "<footer>Copyright 2024 Example</footer>"
    )
    text = parse(html).text
    assert "The first paragraph of the article" in text and "Section" in text
    for chrome in ("Logo", "World", "Menu entry", "cookies", "Sidebar link", "Role navigation", "Hidden by aria",
                   "Hidden attribute", "tracking", "color", "Share on", "Related story", "Subscribe", "Copyright"):
        assert chrome not in text, chrome


def test_a_sidebar_state_class_never_drops_the_article() -> None:
    html = (
        "<html><body class='page has-sidebar'><div class='layout-with-sidebar'>"
        f"<div class='content'><h2>Kept</h2>{ARTICLE}</div></div></body></html>"
    )
    assert "first paragraph" in parse(html).text
    html = page(f"<div class='sidebar-layout'><article><h2>Kept</h2>{ARTICLE}</article></div>")
    assert "first paragraph" in parse(html).text


def test_a_boxed_note_classed_sidebar_is_kept_when_it_is_prose() -> None:
    note = "<div class='sidebar'><p>BACK TO BASICS</p><p>SMTP is the protocol used by mail servers to exchange and route emails.</p></div>"
    nav = "<div class='sphinxsidebar'><ul><li><a href='/a'>Previous topic</a></li><li><a href='/b'>Next</a></li></ul></div>"
    text = parse(page(f"<div class='section'>{ARTICLE}{note}</div>{nav}")).text
    assert "SMTP is the protocol" in text
    assert "Previous topic" not in text


def test_ids_made_from_headings_and_state_classes_are_not_chrome() -> None:
    html = page(
        f"<div class='body' role='main'>{ARTICLE}"
        "<section id='related-documents'><h2>1.4. Related documents</h2><p>The policy refers to others.</p></section>"
        "<div class='section' id='menus'><h2><a class='toc-backref' href='#m'>9.6. Menus</a></h2><p>Menus.</p></div>"
        "<section class='o-section o-section--has-ads'><p>A section that may hold ads.</p></section></div>"
    )
    text = parse(html).text
    for kept in ("1.4. Related documents", "refers to others", "9.6. Menus", "may hold ads"):
        assert kept in text, kept


def test_root_is_the_article_not_the_teasers_around_it() -> None:
    teasers = "".join(f"<div class='card'><a href='/{i}'>Teaser headline number {i}</a></div>" for i in range(5))
    html = page(f"<div class='top'>{teasers}</div><article>{ARTICLE * 3}</article><div>{teasers}</div>")
    doc = parse(html)
    assert "Teaser headline" not in doc.text
    assert "first paragraph" in doc.text


def test_text_split_by_br_in_a_div_is_found() -> None:
    links = "".join(f"<li><a href='/{i}'>Link {i}</a></li>" for i in range(30))
    prose = "<br><br>".join(f"Line {i} of an article that is written without paragraphs at all." for i in range(12))
    doc = parse(page(f"<div class='links'><ul>{links}</ul></div><div class='story'>{prose}</div>"))
    assert "Line 11 of an article" in doc.text
    assert "Link 5" not in doc.text


def test_sphinx_page_uses_the_body_and_drops_headerlinks() -> None:
    html = page(
        "<div class='related' role='navigation'><a href='genindex.html'>index</a></div>"
        "<div class='document'><div class='documentwrapper'><div class='body' role='main'>"
        "<section><h1>5. Data Structures<a class='headerlink' href='#x'>¶</a></h1>"
        f"{ARTICLE}<section><h2>5.1. More on Lists<a class='headerlink' href='#y'>¶</a></h2>"
        "<p>The list data type has some more methods.</p></section></section></div></div>"
        "<div class='sphinxsidebar' role='navigation'><h3>Previous topic</h3></div></div>",
        "<title>5. Data Structures — Python 3.11.2 documentation</title>",
    )
    doc = parse(html)
    assert [s.title for s in doc.sections] == ["5.1. More on Lists"]
    assert "¶" not in doc.text and "Previous topic" not in doc.text and "index" not in doc.text


# -- blocks ---------------------------------------------------------------------


def test_headings_have_levels_and_make_sections() -> None:
    doc = parse(page(f"<h2>Part one</h2>{ARTICLE}<h3>Detail</h3><p>Text.</p><h2>Part two</h2><p>End.</p>"))
    assert [(s.title, s.level) for s in doc.sections] == [("Part one", 2), ("Detail", 3), ("Part two", 2)]
    for section in doc.sections:
        assert doc.text[section.offset : section.offset + len(section.title)] == section.title


def test_lists_have_markers_and_nesting_levels() -> None:
    doc = parse(page("<ul><li>apple</li><li>pear<ul><li>inner</li></ul></li></ul>"
                     "<ol><li>first</li><li>second</li></ol><ol start='4'><li>fourth</li></ol>"))
    items = [(b.marker, b.level, b.text) for b in doc.blocks if b.kind is BlockKind.LIST_ITEM]
    assert items == [("•", 0, "apple"), ("•", 0, "pear"), ("•", 1, "inner"), ("1.", 0, "first"),
                     ("2.", 0, "second"), ("4.", 0, "fourth")]


def test_list_item_with_paragraphs_shows_its_marker_once() -> None:
    doc = parse(page("<ul><li><p>para one</p><p>para two</p></li></ul>"))
    assert [(b.kind, b.marker, b.text) for b in doc.blocks] == [
        (BlockKind.LIST_ITEM, "•", "para one"), (BlockKind.PARAGRAPH, "", "para two")]


def test_blockquote_paragraphs_are_quotes() -> None:
    doc = parse(page(f"{ARTICLE}<blockquote><p>To be, or not to be.</p><p>That is the question.</p></blockquote>"))
    assert [b.text for b in doc.blocks if b.kind is BlockKind.QUOTE] == ["To be, or not to be.", "That is the question."]


def test_pre_keeps_its_newlines_and_indentation() -> None:
    doc = parse(page("<pre><code>def f():\n    return 1\n\nprint(f())\n</code></pre><pre>a<br>b</pre>"))
    code = [b.text for b in doc.blocks if b.kind is BlockKind.CODE]
    assert code == ["def f():\n    return 1\n\nprint(f())", "a\nb"]
    doc = parse(page("<div><pre><code>only\n    code</code></pre></div>"))  # the whole page is one <pre>
    assert [(b.kind, b.text) for b in doc.blocks] == [(BlockKind.CODE, "only\n    code")]


def test_inline_text_is_joined_with_correct_spacing_and_marks() -> None:
    doc = parse(page("<p>Hello   <b>bold</b>\n and <i>it</i><a href='/x'>link</a>, <code>x = 1</code><br>next line.</p>"))
    (block,) = doc.blocks
    assert block.text == "Hello bold and itlink, x = 1 next line."
    assert [(block.text[m.start : m.end], m.kind) for m in block.marks] == [
        ("bold", "strong"), ("it", "em"), ("link", "link"), ("x = 1", "code")]


def test_entities_are_decoded() -> None:
    doc = parse(page("<p>Fish &amp; chips &lt;3 caf&eacute; &#8212; 10&nbsp;km</p>"))
    assert doc.blocks[0].text == "Fish & chips <3 café — 10 km"


def test_table_rows_dl_and_rules() -> None:
    doc = parse(page("<table><tr><th>Name</th><th>Size</th></tr><tr><td>a.txt</td><td> 3 kB </td><td></td></tr>"
                     "</table><hr><dl><dt>Term</dt><dd>Its definition.</dd></dl>"))
    assert body(doc) == [(BlockKind.PARAGRAPH, "Name · Size"), (BlockKind.PARAGRAPH, "a.txt · 3 kB"),
                         (BlockKind.RULE, ""), (BlockKind.PARAGRAPH, "Term"), (BlockKind.PARAGRAPH, "Its definition.")]


def test_leaf_divs_are_paragraphs() -> None:
    doc = parse(page("<div><div>First leaf.</div><div>Second <span>leaf</span>.</div>Loose text</div>"))
    assert body(doc) == [(BlockKind.PARAGRAPH, t) for t in ("First leaf.", "Second leaf.", "Loose text")]


def test_a_repeated_teaser_paragraph_appears_once() -> None:
    teaser = "<p>This teaser paragraph is long enough to be a lead that the page repeats below.</p>"
    doc = parse(page(teaser + ARTICLE + teaser + "<p>Yes</p><p>Yes</p>"))
    assert doc.text.count("This teaser paragraph") == 1
    assert doc.text.count("Yes") == 2  # short paragraphs may repeat


# -- robustness -----------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    ["", "   ", "<script>document.write('x')</script>", "<html><head><title></title></head></html>",
     "<!doctype html>", "<p>unclosed <b>bold <i>both", "</div></p></body>", "<table><tr><td>", "<<<>>>"],
)
def test_bad_or_empty_html_gives_a_document(html: str) -> None:
    doc = parse(html)
    assert isinstance(doc, Document)
    assert "document.write" not in doc.text


def test_script_only_page_has_no_body() -> None:
    doc = parse(page("<script>alert(1)</script><style>body{}</style>"))
    assert body(doc) == [] and doc.title == "page"


def test_very_deep_nesting_does_not_crash() -> None:
    depth = 5000
    for open_tag, close_tag in (("<div>", "</div>"), ("<span>", "</span>"), ("<ul><li>", "</li></ul>"),
                                ("<blockquote>", "</blockquote>"), ("<header>", "</header>"),
                                ("<aside><p>A note that reads like prose, long enough to be kept.</p>", "</aside>")):
        doc = parse(page(open_tag * depth + "deep text" + close_tag * depth))
        assert "deep text" in doc.text


# -- the corpus -------------------------------------------------------------------

PAGES = [
    ("html-news-pages/trafilatura--theguardian.com.academics.html", "UK academics second-class citizens",
     ["Skip to main content", "Advertise with us", "Search jobs", "Sign in"]),
    ("html-python-docs/tutorial--datastructures.html", "list comprehensions",
     ["Previous topic", "Report a Bug", "Show Source", "This Page"]),
    ("html-debian-docs/debian-handbook--sect.regular-upgrades.html", "unattended-upgrades",
     ["Download the ebook", "Prev"]),
    ("html-npm-docs/npm--commands--npm-ci.html", "npm ci package-lock", ["Edit this page", "Table of contents"]),
    ("html-news-pages/newspaper4k--cnn_article.html", "Thanksgiving storm forecasters",
     ["EDITION: INTERNATIONAL", "Set edition preference", "SHARE THIS", "HIDE CAPTION", "More sharing",
      "Privacy guidelines"]),
]


@pytest.mark.corpus
@needs_corpus
@pytest.mark.parametrize(("name", "query", "navigation"), PAGES)
def test_real_pages_keep_the_article_and_lose_the_navigation(name: str, query: str, navigation: list[str]) -> None:
    doc = read_document(CORPUS / name)
    text = doc.text.casefold()
    assert all(term.casefold() in text for term in query.split())
    for chrome in navigation:
        assert chrome not in doc.text, chrome
    assert doc.words > 300


@pytest.mark.corpus
@needs_corpus
def test_every_html_query_term_survives() -> None:
    with open(CORPUS / "queries.tsv", encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle, delimiter="\t") if row["expected_file"].endswith(".html")]
    assert rows
    for row in rows:
        text = read_document(CORPUS / row["expected_file"]).text.casefold()
        missing = [term for term in row["query"].split() if term.casefold() not in text]
        assert not missing, (row["expected_file"], missing)


@pytest.mark.corpus
@needs_corpus
@pytest.mark.parametrize("folder", [*HTML_FOLDERS, "multiscript"])
def test_a_sample_of_each_folder_parses(folder: str) -> None:
    files = sorted((CORPUS / folder).glob("*.html"))
    if not files:
        pytest.skip(f"no HTML in {folder}")
    sample = files[:: max(1, len(files) // 30)][:30]
    empty = []
    for path in sample:
        doc = read_document(path)
        if not body(doc):
            empty.append(path.name)
    assert len(empty) <= 1, empty


@pytest.mark.corpus
@needs_corpus
def test_a_large_page_is_fast() -> None:
    path = CORPUS / "html-news-pages" / "newspaper4k--cnn_001.html"
    if not path.exists():
        pytest.skip("no cnn_001.html")
    started = time.perf_counter()
    doc = read_document(path)
    assert time.perf_counter() - started < 2.0
    assert doc.words > 1000
