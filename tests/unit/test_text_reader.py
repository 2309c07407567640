"""The plain-text reader on the seed article and on real plain-text documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.document import BlockKind
from reader.core.formats import parse_bytes, read_document
from tests.conftest import SEED

SEED_HEADINGS = [
    "Hong Kong is Giving Full Play to International Advantages",
    "Q: What role do you think Hong Kong can play",
    "Hong Kong Wants to Build an International Innovation and Technology Center",
    "Is Hong Kong Communicating with Mainland Cities?",
    "What are the Advantages of Shanghai and Hong Kong",
    "Hong Kong Has Obvious Advantages in Developing Digital Economy",
    'In the Recently Published "2023 Smart City Index"',
    "What Advantages and Reference Points Do You Think Hong Kong Has",
    "Hong Kong Fully Promotes the Development of Innovation and Technology",
    "The HKSAR Government Published the",
    "In Terms of Strategies and Measures for Research and Development",
    "Hong Kong Has Suffered a Serious Loss of Labor Force",
    "Paying Close Attention to the Latest Progress of ChatGPT",
    "The Sudden Emergence of ChatGPT Has Caused a Certain Impact",
]


@pytest.fixture(scope="module")
def seed():
    return read_document(SEED)


def test_seed_title_and_source(seed):
    assert seed.title == "Heavyweight Voice from Hong Kong's Secretary for Innovation, Technology and Industry!"
    assert seed.source == "China Fund News Reporter Guo Wenjun, Ye Shijie"
    assert seed.blocks[0].kind is BlockKind.TITLE
    assert seed.blocks[1].kind is BlockKind.BYLINE


def test_seed_source_is_shown_once(seed):
    assert seed.text.count("Guo Wenjun, Ye Shijie") == 1
    assert "Source:" not in seed.text


def test_seed_has_its_fourteen_headings_in_order(seed):
    titles = [s.title for s in seed.sections]
    assert len(titles) == 14
    for title, expected in zip(titles, SEED_HEADINGS, strict=True):
        assert title.startswith(expected)


def test_seed_sections_point_at_their_text(seed):
    for section in seed.sections:
        block = seed.blocks[section.block]
        assert block.kind is BlockKind.HEADING
        assert seed.text[section.offset : section.offset + len(section.title)] == section.title


def test_seed_drops_navigation_boilerplate(seed):
    assert "Back to News" not in seed.text
    assert seed.blocks[-1].text.startswith("Hong Kong Science Popularization")


def test_seed_shows_each_paragraph_once(seed):
    paragraphs = [b.text for b in seed.blocks if b.kind is BlockKind.PARAGRAPH]
    assert len(paragraphs) == len(set(paragraphs))
    lead = "The 2023 Digital Economy Summit held at the Hong Kong Convention"
    assert seed.text.count(lead) == 1
    # no paragraph is the start of another (the repeated lead line)
    for a in paragraphs:
        assert not any(b != a and b.startswith(a) for b in paragraphs)


def test_seed_speaker_labels_are_marked(seed):
    labelled = [b for b in seed.blocks if any(m.kind == "label" for m in b.marks)]
    labels = {b.text[: b.marks[0].end] for b in labelled}
    assert labels == {"Sun Dong:", "Tony Wong:"}
    assert len(labelled) == 11  # every answer paragraph of the interview


def test_seed_counts_words_and_reading_time(seed):
    assert 2800 < seed.words < 3100
    assert seed.reading_minutes == 13


def test_blocks_and_offsets_agree(seed):
    for block in seed.blocks:
        assert seed.text[block.start : block.end] == block.text
    assert seed.block_at(seed.sections[3].offset + 5) == seed.sections[3].block


def test_crlf_and_cr_give_the_same_document(tmp_path: Path):
    raw = SEED.read_bytes()
    lf = parse_bytes(raw, tmp_path / "a.txt", "text")
    crlf = parse_bytes(raw.replace(b"\n", b"\r\n"), tmp_path / "a.txt", "text")
    cr = parse_bytes(raw.replace(b"\n", b"\r"), tmp_path / "a.txt", "text")
    assert lf.text == crlf.text == cr.text
    assert len(lf.sections) == len(cr.sections) == 14


def test_empty_file_gives_an_empty_document(tmp_path: Path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    document = read_document(path)
    assert document.title == "empty"
    assert document.words == 0
    assert document.blocks == ()


def test_source_and_published_lines(tmp_path: Path):
    text = (
        "A Headline About Things\n\nSource: http://example.com/story\nPublished: 2017-02-07\n\n"
        "First paragraph of the story with enough words to be a paragraph.\n"
    )
    document = parse_bytes(text.encode(), tmp_path / "n.txt", "text")
    assert document.title == "A Headline About Things"
    assert document.source == "example.com"  # a URL's host is the source
    assert document.date == "2017-02-07" and document.sort_date == "2017-02-07"
    assert "Published" not in document.text


def test_hard_wrapped_prose_is_reflowed_and_indented_text_kept(tmp_path: Path):
    prose = (
        "The general rule is that the ACPI namespace should describe everything the\n"
        "OS might use unless there's another way for the OS to find it, and so on.\n"
    )
    art = "  +--------+\n  |  box   |\n  +--------+\n"
    document = parse_bytes(f"Title\n\n{prose}\n{art}".encode(), tmp_path / "w.txt", "text")
    kinds = [b.kind for b in document.blocks]
    assert BlockKind.PARAGRAPH in kinds and BlockKind.PRE in kinds
    paragraph = next(b for b in document.blocks if b.kind is BlockKind.PARAGRAPH)
    assert "\n" not in paragraph.text
    pre = next(b for b in document.blocks if b.kind is BlockKind.PRE)
    assert pre.text.splitlines()[1] == "  |  box   |"


def test_restructuredtext_title_and_headings(tmp_path: Path):
    text = (
        ".. SPDX-License-Identifier: GPL-2.0\n\n"
        "=====================\nA Kernel Document\n=====================\n\n"
        "Some introduction text that is long enough to read as a paragraph here.\n\n"
        "Background\n----------\n\nMore text about the background of this thing.\n"
    )
    document = parse_bytes(text.encode(), tmp_path / "k.rst.txt", "text")
    assert document.title == "A Kernel Document"
    assert [s.title for s in document.sections] == ["Background"]
    assert "SPDX" not in document.text
    assert "=====" not in document.text


@pytest.mark.corpus
@pytest.mark.parametrize(
    "name, title",
    [
        ("en-news-bbc/bbc-business-001.txt", "Ad sales boost Time Warner profit"),
        ("en-news-us-2017/0002-melania-trump-says-white-house-could-mean-millions-for-brand.txt",
         "Melania Trump Says White House Could Mean Millions for Brand"),
        ("en-tech-kernel-rst/PCI--acpi-info.rst.txt", "ACPI considerations for PCI host bridges"),
        ("en-speeches-commons/commons-1989-01-11-9019-ian-lang.txt", "Rating Reform (Scotland) [Orders Of The Day]"),
    ],
)
def test_corpus_titles(corpus: Path, name: str, title: str):
    document = read_document(corpus / name)
    assert document.title == title
    assert document.words > 20


@pytest.mark.corpus
def test_corpus_news_byline_and_date(corpus: Path):
    name = "en-news-us-2017/0002-melania-trump-says-white-house-could-mean-millions-for-brand.txt"
    document = read_document(corpus / name)
    assert document.source == "abcnews.go.com"
    assert document.date == "2017-02-07" and document.sort_date == "2017-02-07"


@pytest.mark.corpus
def test_corpus_chinese_news(corpus: Path):
    folder = corpus / "zh-news-peoples-daily-1998"
    path = sorted(folder.glob("rmrb-199801-0001-*.txt"))[0]
    document = read_document(path)
    assert "新年" in document.title or "新年" in document.text
    assert document.words > 100  # CJK characters count as words
    assert document.reading_minutes >= 1


def test_repeats_further_down_are_the_authors_and_stay():
    """A book's second "CHAPTER I" and a poem's refrain are kept (only a page's head
    drops a repeated lead)."""
    prose = "It was a fine morning and the town was waking slowly under a pale sky. " * 3
    refrain = "And still the river runs, and still the river runs."
    parts = ["A Tale in Two Volumes"]
    for volume in ("I", "II"):
        parts.append(f"VOLUME {volume}")
        for chapter in ("I", "II", "III", "IV", "V"):
            parts += [f"CHAPTER {chapter}", f"{prose} Volume {volume}, chapter {chapter}."]
            if chapter == "V" or (volume, chapter) == ("II", "III"):
                parts.append(refrain)
    document = parse_bytes("\n\n".join(parts).encode(), Path("/books/tale.txt"), "text")
    headings = [section.title for section in document.sections]
    assert headings.count("CHAPTER I") == 2 and headings.count("CHAPTER V") == 2
    assert len(headings) == 12
    assert document.text.count(refrain) == 3


def test_a_novel_in_volumes_keeps_every_chapter(corpus: Path):
    emma = corpus / "en-books" / "austen-emma.txt"
    if not emma.is_file():
        pytest.skip(f"{emma} not in the corpus")
    chapters = [s for s in read_document(emma).sections if s.title.startswith("CHAPTER")]
    assert len(chapters) == 55  # the numbers restart in each of the three volumes


def test_a_text_that_starts_with_a_paragraph_keeps_it_whole_and_is_named_by_its_file():
    raw = (
        b"  Four score and seven years ago our fathers brought forth on\n"
        b"this continent, a new nation, conceived in Liberty, and dedicated\n"
        b"to the proposition that all men are created equal.\n"
    )
    document = parse_bytes(raw, Path("/speeches/lincoln-gettysburg-address.txt"), "text")
    assert document.title == "Lincoln Gettysburg Address"
    assert "Four score and seven years ago our fathers brought forth on this continent" in document.text
    two_lines = b"It was the best of times, it was the worst of times,\nit was the age of wisdom.\n"
    document = parse_bytes(two_lines, Path("/books/Two_Cities.txt"), "text")
    assert document.title == "Two_Cities".replace("_", " ")
    assert document.text.endswith("It was the best of times, it was the worst of times, it was the age of wisdom.")


def test_title_and_author_lines_name_a_book():
    raw = (
        b"Project Gutenberg's Botchan (Master Darling), by Kin-nosuke Natsume\n"
        b"This eBook is for the use of anyone anywhere at no cost.\n"
        b"Title: Botchan (Master Darling)\nAuthor: Kin-nosuke Natsume\nLanguage: English\n\n"
        b"CHAPTER I\n\nBecause of an hereditary recklessness, I have been playing always a losing game.\n"
    )
    document = parse_bytes(raw, Path("/books/8868.txt"), "text")
    assert (document.title, document.source) == ("Botchan (Master Darling)", "Kin-nosuke Natsume")
    assert "Because of an hereditary recklessness" in document.text


def test_paragraphs_marked_by_an_indented_first_line_are_told_apart():
    raw = (
        b"Remarks\n\n"
        b"  Four score and seven years ago our fathers brought forth on\n"
        b"this continent, a new nation, conceived in Liberty, and dedicated\n"
        b"to the proposition that all men are created equal.\n"
        b"  Now we are engaged in a great Civil War, testing whether that\n"
        b"nation, or any nation so conceived and so dedicated, can long endure.\n"
    )
    document = parse_bytes(raw, Path("/speeches/remarks.txt"), "text")
    paragraphs = [b.text for b in document.blocks if b.kind is BlockKind.PARAGRAPH]
    assert len(paragraphs) == 2
    assert paragraphs[0].startswith("Four score") and paragraphs[0].endswith("created equal.")
    assert paragraphs[1].startswith("Now we are engaged")


@pytest.mark.parametrize(
    "lines",
    [
        # a change log: entries at the margin, continuations indented
        "       Code cleanup (removed all commented debug prints) in the whole driver\n"
        "1.92   Corrected a bug when sync was called just before closing the file\n"
        "1.93   Modified, so that it works with kernels >= 2.1.131, I don't know if it\n"
        "       works with previous versions of the kernel or of the filesystem tools\n",
        # an example after a colon
        "   To assign a severity level, put a line like this one in the bug report\n"
        "   pseudo-header, at the very top of the message body you send:\n"
        "Severity: <severity>\n",
        # block-indented text followed by a heading
        "    The agenda has not, in addition to day, week, month, and year\n"
        "    views, also a fortnight view covering fourteen days of work.\n"
        "** New options\n",
    ],
)
def test_indented_lines_that_are_not_paragraphs_are_kept_as_they_are(lines: str):
    document = parse_bytes(b"Notes\n\n" + lines.encode(), Path("/docs/notes.txt"), "text")
    assert not any(b.kind is BlockKind.PARAGRAPH and "\n" not in b.text and len(b.text) > 150 for b in document.blocks)
    assert [b.kind for b in document.blocks[1:]] == [BlockKind.PRE]
