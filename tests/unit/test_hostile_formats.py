"""Hostile files through the format readers: a Document that holds together, or a one-line refusal.

Property-based (Hypothesis, derandomized and without an example database, so a
run is the same everywhere): arbitrary bytes, arbitrary Unicode in the usual
encodings, BOMs, NULs, mixed line ends, markup fragments, declared charsets of
every codec Python knows, and a few huge single lines. ``read_document`` must
either give a :class:`Document` whose blocks, marks and sections agree with its
text, or raise :class:`UnreadableDocument` with a one-line reason; nothing else.
"""

from __future__ import annotations

import codecs
import encodings
import pkgutil
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.document import BLOCK_SEPARATOR, BlockKind, Document
from reader.core.formats import UnreadableDocument, read_document
from reader.core.formats.encoding import decode

SETTINGS = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
EXTENSIONS = (".txt", ".md", ".html")
# what no document's text, title or source may hold: terminal escapes and other controls
# (tab, line feed and form feed are text); a lone CR is a line end and must be normalized
FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0d-\x1f\x7f-\x9f]")
LINE_ENDS = ("\n", "\r\n", "\r", "\u2028", "\x85")
CODECS = sorted(
    {module.name for module in pkgutil.iter_modules(encodings.__path__) if module.name != "aliases"}
    | {"undefined", "unicode_escape", "utf-7", "x-user-defined", "no-such-charset", ""}
)

FRAGMENTS = [
    b"\x00", b"\x00\x00", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE,
    b"\r\n", b"\r", b"\n", b"\n\n", b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9", b"\t", b"  ", b"\x0c",
    b"\x1b", b"\x1b[31m", b"\x1bc", b"\x1b]0;title\x07", b"\x07", b"\x7f", b"\xff", b"\xfe", b"\x80",
    b"# ", b"## ", b"**", b"_", b"`", b"```", b"> ", b"- ", b"1. ", b"[a](b)", b"![i](x)", b"|a|b|\n|-|-|\n",
    b"---\n", b"title: x\n", b"=====\n", b"Title Case Heading\n\n", b"Q: why?\n\n", b"Sun Dong: yes\n",
    b"Source: x\n", b"Published: 2024-01-01\n", b"%\n",
    b"<", b">", b"&", b"<p>", b"</p>", b"<h1>", b"</h1>", b"<h2>", b"<pre>", b"</pre>", b"<br>", b"<hr>",
    b"<ul><li>", b"<ol start=99999999999999999999><li value=-3>", b"<table><tr><td>", b"</td><td>",
    b"<article>", b"<nav>", b"<div class=sidebar>", b"<b>", b"<a href=x>", b"<script>", b"<!--",
    b"<title>", b"<meta charset=utf-16>", b'<meta name="author" content="&#x1b;c">', b"&#x1b;", b"&#13;",
    b"&#0;", b"&#x85;", b"&#xd800;", b"&#x10ffff;", b"&amp;", b"&nbsp;", b"~{", b"\x1b$B", b"\x1b(B",
]

# -- strategies ---------------------------------------------------------------------------------

unicode_text = st.text(max_size=400)  # surrogates are left out: no codec but surrogatepass writes them
encoded = st.tuples(
    unicode_text, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32", "utf-16-le", "gb18030", "big5"])
).map(lambda pair: pair[0].encode(pair[1], "replace"))
hostile = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.binary(max_size=16), st.text(max_size=16).map(str.encode)),
    max_size=48,
).map(b"".join)
any_bytes = st.one_of(st.binary(max_size=3000), encoded, hostile)


# -- checks -------------------------------------------------------------------------------------


def assert_holds_together(document: Document) -> None:
    """The document model's invariants: blocks tile the text, marks sit in blocks, sections are headings."""
    text = document.text
    assert text == BLOCK_SEPARATOR.join(block.text for block in document.blocks)
    at = 0
    for block in document.blocks:
        assert block.start == at and block.end == block.start + len(block.text)
        assert 0 <= block.start <= block.end <= len(text)
        assert text[block.start : block.end] == block.text
        assert block.kind is BlockKind.RULE or block.text.strip()
        for mark in block.marks:
            assert 0 <= mark.start < mark.end <= len(block.text), (block, mark)
        at = block.end + len(BLOCK_SEPARATOR)
    for section in document.sections:
        block = document.blocks[section.block]
        assert block.kind is BlockKind.HEADING
        assert section.offset == block.start and section.title == block.text and section.level >= 1
    assert document.words >= 0 and document.title.strip()
    assert len(document.text_hash) == 40  # the text encodes as UTF-8: no lone surrogates
    assert_no_controls(document)


def assert_no_controls(document: Document | None) -> None:
    assert document is not None
    for value in (document.text, document.title, document.source, document.date):
        assert not FORBIDDEN.search(value), f"control character in {value[:80]!r}"


def read_or_refuse(path: Path) -> Document | None:
    """The document at ``path``, checked; None when it is refused with a one-line reason."""
    try:
        document = read_document(path)
    except UnreadableDocument as error:
        assert error.reason.strip() and "\n" not in error.reason and "\r" not in error.reason
        assert str(error).startswith(str(path))
        return None
    assert_holds_together(document)
    return document


def written(folder: Path, data: bytes, extension: str) -> Path:
    path = folder / f"hostile{extension}"
    path.write_bytes(data)
    return path


# -- properties ---------------------------------------------------------------------------------


@settings(SETTINGS, max_examples=400)
@given(data=any_bytes, extension=st.sampled_from(EXTENSIONS))
def test_any_bytes_give_a_document_or_a_reason(tmp_path: Path, data: bytes, extension: str) -> None:
    read_or_refuse(written(tmp_path, data, extension))


@settings(SETTINGS, max_examples=150)
@given(charset=st.sampled_from(CODECS), body=st.one_of(st.binary(max_size=200), hostile))
def test_any_declared_charset(tmp_path: Path, charset: str, body: bytes) -> None:
    # the declared charset is tried only on bytes that are not UTF-8: end with one that is not
    data = b'<html><head><meta charset="' + charset.encode() + b'"></head><body><p>' + body + b"\xff</p>"
    read_or_refuse(written(tmp_path, data, ".html"))


@settings(SETTINGS, max_examples=150)
@given(text=unicode_text.filter(lambda t: not t.startswith("\x00")), bom=st.sampled_from(
    ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"]))
def test_a_byte_order_mark_decides(text: str, bom: str) -> None:
    marks = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
             "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}
    data = marks.get(bom, b"") + text.encode(bom)
    assert decode(data)[0] == text


@settings(SETTINGS, max_examples=150)
@given(st.text(max_size=400).filter(lambda t: "\x00" not in t and "\x1b" not in t and "~{" not in t))
def test_utf8_is_read_as_written(text: str) -> None:
    assert decode(text.encode("utf-8")) == (text, "utf-8")


@settings(SETTINGS, max_examples=120)
@given(
    lines=st.lists(st.text(st.characters(blacklist_categories=["Cc", "Cs", "Zl", "Zp"]), max_size=60), max_size=24),
    ends=st.lists(st.sampled_from(LINE_ENDS), min_size=24, max_size=24),
    extension=st.sampled_from(EXTENSIONS),
)
def test_mixed_line_ends_read_like_line_feeds(
    tmp_path: Path, lines: list[str], ends: list[str], extension: str
) -> None:
    mixed = "".join(line + end for line, end in zip(lines, ends, strict=False))
    plain = "\n".join(re.split(r"\r\n|[\r\n\x85\u2028]", mixed))
    one = read_or_refuse(written(tmp_path, mixed.encode("utf-8"), extension))
    other = read_or_refuse(written(tmp_path, plain.encode("utf-8"), extension))
    assert (one and one.text) == (other and other.text)


@settings(SETTINGS, max_examples=60)
@given(
    sequence=st.sampled_from(["\x1bc", "\x1b7", "\x1b[2J", "\x1b]0;x\x07", "\x1b", "\x07", "\x9b31m", "\x7f"]),
    where=st.integers(0, 40),
    extension=st.sampled_from(EXTENSIONS),
)
def test_terminal_escapes_never_reach_the_text(tmp_path: Path, sequence: str, where: int, extension: str) -> None:
    words = "A title line\n\nSome words of a paragraph that goes on.\n"
    data = (words[:where] + sequence + words[where:]).encode("utf-8")
    assert_no_controls(read_or_refuse(written(tmp_path, data, extension)))


@pytest.mark.parametrize(
    "reference", ["&#x1b;c", "&#27;[2J", "&#x7;", "&#13;", "&#x7f;", "&#x9b;", "&#x1b;]0;t&#7;", "&#1;"]
)
@pytest.mark.parametrize("extension", [".md", ".html"])
def test_character_references_to_controls(tmp_path: Path, reference: str, extension: str) -> None:
    data = f"![alt{reference}](x.png)\n\n<title>Page{reference}</title>"
    data += f"<meta name=author content='A{reference}'>\n\n# Head{reference}\n\n"
    data += f"<p>Para {reference} graph</p>\n\n<pre>pre{reference}</pre>\n\nText {reference} more\n"
    assert_no_controls(read_or_refuse(written(tmp_path, data.encode(), extension)))


# -- huge single lines ----------------------------------------------------------------------------

HUGE = 2 * 1024 * 1024


@pytest.mark.parametrize("extension", EXTENSIONS)
@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"x" * HUGE, id="letters"),
        pytest.param(b"word " * (HUGE // 5), id="words"),
        pytest.param("汉字文本".encode() * (HUGE // 12), id="cjk"),
        pytest.param(b"\x00" * HUGE, id="nuls"),
        pytest.param(b"a\x00" * (HUGE // 2), id="utf16-like"),
        pytest.param(codecs.BOM_UTF16_LE + "long line ".encode("utf-16-le") * (HUGE // 20), id="utf16-bom"),
    ],
)
def test_a_huge_single_line(tmp_path: Path, data: bytes, extension: str) -> None:
    document = read_or_refuse(written(tmp_path, data, extension))
    if document is not None:
        assert len(document.text) > len(data) // 8  # the line is there, not dropped
