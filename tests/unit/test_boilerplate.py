"""The site's lines inside an article: interface lines, credits, date lines, pitches,
and headings left with nothing after them, dropped by their words; the story kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.document import BlockKind, Document
from reader.core.formats import parse_bytes
from reader.core.formats.boilerplate import is_boilerplate

STORY = (
    "The council met on Tuesday evening to discuss the new budget for the coming year. "
    "Members argued for hours about the cost of repairing the old bridge over the river. "
)


def parse(html: str) -> Document:
    return parse_bytes(html.encode("utf-8"), Path("page.html"), "html")


def article(inner: str) -> str:
    return (f"<html><head><title>Bridge</title><meta property='og:type' content='article'></head><body>"
            f"<article><h1>Bridge</h1>{inner}</article></body></html>")


def texts(doc: Document) -> list[str]:
    return [b.text for b in doc.blocks if b.kind not in (BlockKind.TITLE, BlockKind.BYLINE)]


@pytest.mark.parametrize("line", [
    "Jetzt teilen!", "Rezept drucken", "19:49", "Aktualisiert: 11.04.2020, 10:27", "15. Mai 2019, 05:28 Uhr",
    "Mehr zum Thema", "Das könnte Sie auch interessieren:", "You might also like:", "Kommentieren", "Tags",
    "Foto: dpa", "© 2020 CBS Interactive Inc. All Rights Reserved.", "Photo by ev on Unsplash", "By Sarah Yang",
    "Zum Newsletter anmelden", "Subscribe now to our eNATION edition for the full story.",
    "Zobacz również", "Vous aimerez aussi", "Kommentare (3)", "Ja. Ich benötige ein Abo.", "11 minut czytania",
    "5 min read", "War der Artikel nützlich? (95 Stimmen: 4,73 von 5)",
    "Lust auf mehr? Lass dir die besten Storys jede Woche in deinen Posteingang liefern per Newsletter.",
])
def test_site_lines(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", [
    "Termin: 29.02.2020, 19 Uhr", "+81 158-23-2012", "390 kcal", "Werbung nervt. Tracking nervt. Nerven nervt.",
    "Fazit", "Ich hoffe euch gefällt der Relaunch.", "Share prices fell sharply on Monday as markets opened.",
    STORY, "By the end of the day the council had agreed on the budget.",
])
def test_story_lines(line: str) -> None:
    assert not is_boilerplate(line)


def test_article_loses_site_lines_and_keeps_story() -> None:
    doc = parse(article(
        "<p>Aktualisiert: 11.04.2020, 10:27</p>"
        f"<p>{STORY}</p><figure><img src=a.jpg></figure><p>Foto: Anna Example</p>"
        f"<h2>The vote</h2><p>{STORY * 2}</p>"
        "<p>Jetzt teilen!</p><p>Zum Newsletter anmelden</p><h3>Mehr zum Thema</h3>"
    ))
    assert texts(doc) == [STORY.strip(), "The vote", (STORY * 2).strip()]


def test_pull_quote_heading_at_the_end_is_kept() -> None:
    quote = "Relotius legt auf Facebook ein Fake-Profil an. Es stützt seine Version."
    doc = parse(article(f"<p>{STORY}</p><h3>{quote}</h3>"))
    assert texts(doc)[-1] == quote


def test_documentation_keeps_its_lines() -> None:
    html = ("<html><head><meta name='generator' content='Sphinx 7.2'><title>API</title></head><body>"
            "<div class='document'><div class='body'><h1>API</h1><p>Tags</p><p>Read more</p>"
            f"<p>{STORY}</p><h2>See also</h2></div></div></body></html>")
    assert texts(parse(html)) == ["Tags", "Read more", STORY.strip(), "See also"]


@pytest.mark.parametrize("box", [
    "<div class='author-box'><p>{bio}</p></div>",
    "<div id='author-description'><p>{bio}</p></div>",
    "<div class='saboxplugin-wrap'><div class='saboxplugin-desc'><p>{bio}</p></div></div>",
    "<div class='cta' id='normal_cta'><p>{bio}</p></div>",
])
def test_author_and_pitch_boxes_inside_the_article_go(box: str) -> None:
    bio = "Anna writes about cities and their bridges, and has done so for twenty years at this paper."
    doc = parse(article(f"<p>{STORY}</p><p>{STORY}More.</p>" + box.format(bio=bio)))
    assert texts(doc) == [STORY.strip(), f"{STORY}More."]


def test_a_story_held_in_an_author_named_box_is_kept() -> None:
    doc = parse(article(f"<div class='author-info'><p>{STORY}</p><p>{STORY}More.</p></div>"))
    assert texts(doc) == [STORY.strip(), f"{STORY}More."]
