"""Article extraction: the cases where a saved news page showed more (or less) than the article.

Each page is small and hand-made, in the shape of the real pages that went wrong:
a teaser ``<article>`` beside the real one, class rules that named the article
itself chrome, the densest-block walk following link text into a sidebar,
captions and promos inside the article, and titles with site suffixes, section
prefixes and escaped entities.
"""

from __future__ import annotations

from pathlib import Path

from reader.core.document import BlockKind, Document
from reader.core.formats import parse_bytes

PROSE = (
    "The council met on Tuesday evening to discuss the new budget for the coming year. ",
    "Members argued for hours about the cost of repairing the old bridge over the river. ",
    "In the end a narrow majority agreed to spend the reserve on the repairs this summer. ",
    "Residents who spoke at the meeting said the bridge had been unsafe for a long time. ",
)


def story(marker: str = "Story") -> str:
    return "".join(f"<p>{marker} paragraph {i}: {text * 2}</p>" for i, text in enumerate(PROSE))


def parse(html: str) -> Document:
    return parse_bytes(html.encode("utf-8"), Path("page.html"), "html")


def page(content: str, head: str = "") -> str:
    return f"<!doctype html><html><head>{head}</head><body>{content}</body></html>"


# text outside paragraphs (a comment thread, a list of events) that outweighs the story
EXTRA = "<div class='extra'>" + "Another long line of the page that is no paragraph of the story. " * 13 + "</div>"


def body_text(doc: Document) -> str:
    return "\n".join(b.text for b in doc.blocks if b.kind not in (BlockKind.TITLE, BlockKind.BYLINE))


ARTICLE_META = '<meta property="og:type" content="article">'


# -- which element is the article ---------------------------------------------------


def test_the_article_holding_the_h1_wins_over_a_longer_teaser_article() -> None:
    teaser = "<article class='teaser'><h2><a href='/other'>Another story</a></h2>" + "".join(
        f"<p><a href='/o{i}'>{text * 3}</a></p>" for i, text in enumerate(PROSE)) + "</article>"
    html = page(f"{teaser}<article><h1>Bridge repairs approved</h1>{story()}</article>", ARTICLE_META)
    text = body_text(parse(html))
    assert "Story paragraph 3" in text
    assert "Another story" not in text and "Members argued" not in text.split("Story paragraph 0")[0]


def test_a_teaser_article_in_the_sidebar_is_not_the_root() -> None:
    # the real story is in plain divs; a teaser <article> beside it holds a quarter of the text
    teaser = f"<article class='card'><p>Teaser: {PROSE[0] * 4}</p></article>"
    html = page(f"<div class='main'><div class='story'>{story()}</div></div><div class='rail'>{teaser}</div>")
    text = body_text(parse(html))
    assert "Story paragraph 0" in text and "Story paragraph 3" in text


def test_modal_enabled_class_does_not_drop_the_article() -> None:
    html = page(f"<div class='box article modal-enabled'><h2>Section</h2>{story()}</div>"
                f"<div class='modal'>Sign up for our newsletter</div>{EXTRA}")
    text = body_text(parse(html))
    assert "Story paragraph 2" in text
    assert "Sign up" not in text


def test_and_w_sidebar_layout_class_does_not_drop_the_article() -> None:
    sidebar = "".join(f"<li><a href='/x{i}'>Most read story number {i} of the day</a></li>" for i in range(12))
    html = page(f"<div class='layout and-w-sidebar'><div class='content'>{story()}</div>"
                f"<div class='sidebar'><ul>{sidebar}</ul></div></div>{EXTRA * 2}")
    text = body_text(parse(html))
    assert "Story paragraph 2" in text
    assert "Most read" not in text


def test_a_class_rule_never_drops_the_element_holding_most_paragraph_text() -> None:
    # "related" names the wrapper, but it holds the whole story
    html = page(f"<div class='related-wrapper'><div>{story()}</div></div><nav>Menu</nav>{EXTRA}")
    assert "Story paragraph 3" in body_text(parse(html))


def test_densest_walk_follows_text_outside_links_not_a_sidebar_of_links() -> None:
    links = "".join(f"<li><a href='/{i}'>{PROSE[i % 4]}</a></li>" for i in range(16))
    html = page(f"<div id='wrap'><div class='col'><ul>{links}</ul></div><div class='col2'>{story()}</div></div>")
    text = body_text(parse(html))
    assert "Story paragraph 0" in text
    assert text.count("The council met") == 2  # the story's own two, not the link list's four


# -- inside the article ---------------------------------------------------------------


def test_captions_credits_and_promos_inside_the_article_are_dropped() -> None:
    related = "<div><h3>Read more</h3><ul>" + "".join(
        f"<li><a href='/r{i}'>Related headline number {i}</a></li>" for i in range(4)) + "</ul></div>"
    html = page(
        "<article><h1>Bridge</h1>"
        "<figure><img src='b.jpg'><figcaption>The old bridge at dusk</figcaption></figure>"
        f"{story()}<p class='photo-credit'>Photo: Getty Images</p>"
        f"<p>Read also: <a href='/x'>Council approves a much larger budget for schools next year</a></p>"
        f"{related}<p>Closing paragraph of the story, with <a href='/c'>one link</a> in its prose.</p></article>",
        ARTICLE_META,
    )
    text = body_text(parse(html))
    for gone in ("The old bridge at dusk", "Getty Images", "Read also", "Related headline", "Read more"):
        assert gone not in text, gone
    assert "Story paragraph 3" in text and "Closing paragraph" in text and "one link" in text


def test_documentation_keeps_its_lists_of_links_and_captions() -> None:
    toc = "<ul>" + "".join(f"<li><a href='/c{i}'>Chapter {i} of the manual</a></li>" for i in range(6)) + "</ul>"
    html = page(
        f"<div class='body' role='main'><h1>Manual</h1>{story()}<h2>See also</h2>{toc}"
        "<figure><img src='f.png'><figcaption>Figure 1: the flow of a package</figcaption></figure></div>",
        '<meta name="generator" content="Docutils 0.19">',
    )
    text = body_text(parse(html))
    assert "Chapter 5 of the manual" in text and "Figure 1" in text and "See also" in text


# -- titles ---------------------------------------------------------------------------


def title(head: str, content: str = "") -> str:
    return parse(page(content + story(), head)).title


def test_a_dash_subtitle_is_kept_and_only_the_site_suffix_goes() -> None:
    head = ("<title>Google's New Rules Are Here — And They're Not Great - Digg</title>"
            '<meta property="og:site_name" content="Digg">')
    assert title(head) == "Google's New Rules Are Here — And They're Not Great"
    # no site named: a dash is not a site separator
    assert title("<title>Google's New Rules Are Here — And They're Not Great</title>") == (
        "Google's New Rules Are Here — And They're Not Great"
    )


def test_the_site_suffix_goes_when_it_names_the_host() -> None:
    head = ('<title>Council approves bridge repairs — the vote in full - Example Times</title>'
            '<link rel="canonical" href="https://www.exampletimes.com/news/bridge">')
    assert title(head) == "Council approves bridge repairs — the vote in full"


def test_a_section_prefix_is_dropped() -> None:
    assert title("<title>Opinion | Why the bridge matters to all of us</title>") == "Why the bridge matters to all of us"


def test_entities_left_escaped_in_the_title_are_decoded() -> None:
    head = '<meta property="og:title" content="Club fined &amp;#163;1.8m over bridge">'
    assert title(head) == "Club fined £1.8m over bridge"


def test_a_lone_h1_that_the_title_starts_with_is_the_title() -> None:
    head = '<meta property="og:title" content="Bridge repairs approved after long night of debate | Section">'
    assert title(head, "<h1>Bridge repairs approved after long night of debate</h1>") == (
        "Bridge repairs approved after long night of debate"
    )
    head = '<meta property="og:title" content="Bridge repairs approved — what happens next">'
    assert title(head, "<h1>Council news</h1><h1>Other</h1>") == (
        "Bridge repairs approved — what happens next"
    )


# -- plain text: the byline is a source, never a date, a directive or a URL -------------


def text_doc(text: str, name: str = "t.txt"):
    return parse_bytes(text.encode("utf-8"), Path(name), "text")


BODY = "\n\nThe first paragraph of the text, long enough to be a paragraph of prose.\n"


def test_a_date_under_the_title_is_the_date_not_the_source() -> None:
    for line, iso in (("Published: 2017-03-20", "2017-03-20"), ("Tue Oct 7 07:26:38 2014 -0400", "2014-10-07"),
                      ("March 20, 2017", "2017-03-20")):
        doc = text_doc(f"A Title Of The Text\n{line}{BODY}")
        assert doc.source == "", line
        assert doc.sort_date == iso, line
        assert doc.date, line


def test_a_directive_or_a_dedication_is_no_source() -> None:
    assert text_doc(f"A Title Of The Text\n.. sectnum::{BODY}").source == ""
    assert text_doc(f"A Title Of The Text\n-- dedicated to my parents{BODY}").source == ""
    assert text_doc(f"A Title Of The Text\nJane Doe, The Example Review{BODY}").source == (
        "Jane Doe, The Example Review"
    )


def test_a_source_url_wrapped_over_lines_gives_its_host() -> None:
    text = ("A Title Of The Text\n\nSource: http://www.example.com/en/a-long-story-about-\nthe-council-and-the-bridge/"
            "a-38017409?maca=en-rss\n-en-all-1573-rdf\n\nThe first paragraph of the story, long enough to count.\n")
    doc = text_doc(text)
    assert doc.source == "example.com"
    assert "a-38017409" not in doc.text


def test_html_dates_are_parsed_for_sorting() -> None:
    head = '<meta property="article:published_time" content="2020-01-20T06:05:18.000Z">'
    assert parse(page(story(), head)).sort_date == "2020-01-20"
    head = '<meta name="date" content="March 20, 2017">'
    assert parse(page(story(), head)).sort_date == "2017-03-20"
