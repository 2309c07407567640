"""Article extraction: the article's lines judged one by one, after its root is chosen and
pruned (links, length, their place among the story's paragraphs)."""

from __future__ import annotations

from tests.unit.test_extraction_cases import ARTICLE_META, PROSE, body_text, page, parse, story


def test_a_teaser_headline_that_is_only_a_link_is_dropped_from_the_article() -> None:
    teaser = "<h3><a href='/2014/best-dressed'>The Best-Dressed Men of the Year</a></h3>"
    html = page(f"<article><h1>Bridge repairs approved</h1>{story()}{teaser}{story('More')}</article>", ARTICLE_META)
    text = body_text(parse(html))
    assert "Story paragraph 3" in text and "More paragraph 0" in text
    assert "Best-Dressed" not in text


def test_a_line_with_a_link_in_its_prose_is_kept() -> None:
    line = f"<p>{PROSE[0]}See <a href='/report'>the full report</a> for the figures.</p>"
    html = page(f"<article><h1>Bridge repairs approved</h1>{story()}{line}{story('More')}</article>", ARTICLE_META)
    assert "the full report for the figures" in body_text(parse(html))


def test_an_article_that_is_only_links_keeps_them() -> None:
    links = "".join(f"<li><a href='/l{i}'>{text}</a></li>" for i, text in enumerate(PROSE))
    html = page(f"<article><h1>Links of the week</h1><ul>{links}</ul></article>", ARTICLE_META)
    assert "Members argued for hours" in body_text(parse(html))


def test_the_marked_article_body_wins_over_a_longer_thread_of_comments() -> None:
    comments = "<div class='thread'>" + "".join(
        f"<div class='entry'><p>Reader {i} wrote: {text * 3}</p></div>" for i, text in enumerate(PROSE * 3)) + "</div>"
    body = f"<div class='story'><h1>Bridge repairs approved</h1><div itemprop='articleBody'>{story()}</div></div>"
    text = body_text(parse(page(f"<div class='wrap'>{body}</div>{comments}", ARTICLE_META)))
    assert "Story paragraph 3" in text
    assert "Reader 0 wrote" not in text


def test_the_lead_set_before_the_article_body_is_kept_first() -> None:
    lead = "<div class='article-header'><h1>Bridge repairs approved</h1><div class='entry-subheadline'>" \
        "Ann Smith, chief reporter at the town hall, 13.12.2022</div><p class='dig-vorspann'>The town will " \
        "spend its reserve on the old bridge this summer, after a long night of argument.</p></div>"
    html = page(f"<div class='article'>{lead}<div class='article-text'>{story()}</div></div>"
                "<div class='more'><p class='teaser'>Another story for later, told in a line of its own.</p></div>",
                ARTICLE_META)
    text = body_text(parse(html))
    assert text.startswith("The town will spend its reserve") and "Story paragraph 3" in text
    assert "Another story for later" not in text


def test_a_paragraph_with_a_long_link_in_its_sentence_is_kept() -> None:
    line = "<p>The council published <a href='/report'>its full report on the state of the old bridge</a> today.</p>"
    html = page(f"<article><h1>Bridge repairs approved</h1>{story()}{line}{story('More')}</article>", ARTICLE_META)
    assert "its full report on the state of the old bridge today" in body_text(parse(html))


def test_a_read_also_line_inside_the_article_is_dropped() -> None:
    line = "<p>LE PUEDE INTERESAR: <a href='/other'>La ficha del alcalde en el tribunal</a></p>"
    html = page(f"<article><h1>Bridge repairs approved</h1>{story()}{line}{story('More')}</article>", ARTICLE_META)
    text = body_text(parse(html))
    assert "La ficha del alcalde" not in text and "More paragraph 0" in text


def test_a_section_whose_modifier_says_it_holds_ads_is_not_an_ad() -> None:
    sections = "".join(f"<section class='report__section{' report__section--ads' if i == 1 else ''}'>"
                       f"{story(f'Part{i}')}</section>" for i in range(3))
    html = page(f"<div class='report'><h1>Bridge repairs approved</h1>{sections}</div>", ARTICLE_META)
    text = body_text(parse(html))
    assert "Part0 paragraph 0" in text and "Part1 paragraph 2" in text and "Part2 paragraph 3" in text


def test_a_sidebar_longer_than_a_short_story_is_not_the_article() -> None:
    sidebar = "<div id='sidebar'><ul>" + "".join(
        f"<li>Latest comment {i}: {text.upper()}</li>" for i, text in enumerate(PROSE * 2)) + "</ul></div>"
    short = f"<div id='content'><h1>Bridge repairs approved</h1><p>{PROSE[0]}</p><p>{PROSE[1]}</p></div>"
    text = body_text(parse(page(f"<div id='wrapper'>{short}{sidebar}</div>", ARTICLE_META)))
    assert "The council met" in text and "Members argued" in text
    assert "Latest comment" not in text


def test_soft_hyphens_are_dropped_so_the_words_can_be_found() -> None:
    html = page("<article><h1>Bridge</h1><p>Auch in die&shy;sem Jahr wol\u00adlen wir Sie ent&shy;führen.</p></article>")
    assert "Auch in diesem Jahr wollen wir Sie entführen." in body_text(parse(html))


def test_a_page_filled_in_by_script_is_read_from_its_noscript() -> None:
    html = page(f"<div id='app'></div><noscript><div class='page'><h1>Bridge</h1>{story()}</div></noscript>",
                ARTICLE_META)
    assert "Story paragraph 3" in body_text(parse(html))


def test_a_noscript_notice_beside_the_story_stays_out() -> None:
    html = page(f"<noscript><p>Please enable JavaScript to see the comments below.</p></noscript>"
                f"<article><h1>Bridge</h1>{story()}</article>", ARTICLE_META)
    assert "enable JavaScript" not in body_text(parse(html))


def test_a_date_line_with_its_section_is_the_sites_but_an_event_date_is_kept() -> None:
    from reader.core.formats.boilerplate import is_boilerplate

    assert is_boilerplate("Energie 12.12.2022, 08:30 Uhr")
    assert is_boilerplate("2021-10-16 | Botschaft")
    assert is_boilerplate("asked Feb 6, 2014 at 20:37")
    assert not is_boilerplate("Termin: 29.02.2020, 19 Uhr")
    assert not is_boilerplate("The council met on 12.12.2022 to vote on it")


def test_lines_with_sharp_s_are_matched_as_case_folded() -> None:
    from reader.core.formats.boilerplate import is_boilerplate

    assert is_boilerplate("Bild anzeigen Bild schließen")
    assert is_boilerplate("Vergrößern: Foto der Kamera")


def test_a_rights_reserved_notice_in_another_language_is_the_sites() -> None:
    from reader.core.formats.boilerplate import is_boilerplate

    assert is_boilerplate("Materiał chroniony prawem autorskim - wszelkie prawa zastrzeżone. Dalsze "
                          "rozpowszechnianie artykułu tylko za zgodą wydawcy.")


def test_a_kicker_above_the_title_is_dropped() -> None:
    html = page(f"<article><p><span>Wildlife rescue</span></p><h1>Bridge repairs approved</h1>{story()}</article>",
                "<title>Bridge repairs approved</title>" + ARTICLE_META)
    doc = parse(html)
    assert doc.title == "Bridge repairs approved"
    text = body_text(doc)
    assert "Wildlife rescue" not in text and text.startswith("Story paragraph 0")
