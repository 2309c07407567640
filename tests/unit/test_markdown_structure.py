"""Markdown structure: the title is the first level-1 heading (Markdown or HTML), tables are
aligned, footnotes are footnotes, <br> keeps words apart, front matter dates sort."""

from __future__ import annotations

from pathlib import Path

from reader.core.document import BlockKind, Document
from reader.core.formats import parse_bytes


def parse(text: str) -> Document:
    return parse_bytes(text.encode("utf-8"), Path("README.md"), "markdown")


def body(doc: Document) -> list[tuple[BlockKind, str]]:
    return [(b.kind, b.text) for b in doc.blocks if b.kind not in (BlockKind.TITLE, BlockKind.BYLINE)]


def test_an_html_h1_is_the_title_not_a_later_heading() -> None:
    doc = parse('<h1 align="center">Charset Detection, for Everyone 👋</h1>\n\n<p align="center">'
                "<sup>The Real First Universal Charset Detector</sup></p>\n\nIntro.\n\n## ⚡ Performance\n\nFast.\n")
    assert doc.title == "Charset Detection, for Everyone 👋"
    assert (BlockKind.HEADING, "⚡ Performance") in body(doc)
    assert [text for _, text in body(doc)].count("Charset Detection, for Everyone 👋") == 0
    assert body(doc)[0] == (BlockKind.PARAGRAPH, "The Real First Universal Charset Detector")


def test_a_level_one_heading_wins_over_an_earlier_smaller_one() -> None:
    doc = parse("### Badges\n\nSome badges.\n\n# The Project\n\nText.\n")
    assert doc.title == "The Project"


def test_table_columns_are_aligned_and_the_head_is_strong() -> None:
    doc = parse("| Name | Size | Kind |\n|:--|--:|:-:|\n| a.txt | 3 kB | text |\n| longer-name.md | 120 kB | 文本 |\n")
    rows = [b for b in doc.blocks if b.kind is BlockKind.PRE]
    assert [b.text for b in rows] == [
        "Name           │   Size │ Kind",
        "a.txt          │   3 kB │ text",
        "longer-name.md │ 120 kB │ 文本",
    ]
    assert [m.kind for m in rows[0].marks] == ["strong"] and not rows[1].marks


def test_footnotes_are_numbered_and_follow_the_text() -> None:
    doc = parse("Chardet is fast[^fast] and old[^1].\n\nMore text.\n\n[^fast]: When capped.\n[^1]: Since *2005*.\n")
    assert body(doc) == [
        (BlockKind.PARAGRAPH, "Chardet is fast[1] and old[2]."),
        (BlockKind.PARAGRAPH, "More text."),
        (BlockKind.RULE, ""),
        (BlockKind.PARAGRAPH, "[1] When capped."),
        (BlockKind.PARAGRAPH, "[2] Since 2005."),
    ]
    note = doc.blocks[-1]
    assert [(note.text[m.start:m.end], m.kind) for m in note.marks] == [("2005", "em")]


def test_a_br_keeps_words_apart() -> None:
    doc = parse("| License |\n|---|\n| MPL-1.1<br>_restrictive_ |\n\nOne line<br>another.\n")
    texts = [text for _, text in body(doc)]
    assert "MPL-1.1 restrictive" in texts
    assert "One line\nanother." in texts


def test_front_matter_dates_sort() -> None:
    for written, expected in (("2017-03-20", "2017-03-20"), ("2017-03-20 10:00:00 +0100", "2017-03-20"),
                              ('"March 20, 2017"', "2017-03-20"), ("Tue, 07 Oct 2014 07:26:38 -0400", "2014-10-07")):
        doc = parse(f"---\ntitle: Notes\ndate: {written}\n---\n\nText.\n")
        assert (doc.sort_date, doc.date) == (expected, expected), written


def test_front_matter_date_that_is_no_date_is_kept_as_written() -> None:
    doc = parse("---\ntitle: Notes\ndate: spring of last year\n---\n\nText.\n")
    assert doc.sort_date == ""
    assert doc.date == "spring of last year"
