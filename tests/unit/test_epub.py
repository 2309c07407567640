"""The EPUB reader: EPUB 2 (NCX) and 3 (nav), metadata, chapters as sections, hostile archives."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from reader.core.document import BlockKind
from reader.core.formats import UnreadableDocument, check_document, read_document
from reader.core.formats.epub_archive import MAX_MEMBER_BYTES
from tests.unit.epub_fixtures import CONTAINER, book, chapter, make_epub, opf

BOOKS = "books-epub-pdf"


def write(tmp_path: Path, data: bytes, name: str = "book.epub") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("version", ["2.0", "3.0"])
def test_metadata_spine_and_outline(tmp_path: Path, version: str) -> None:
    document = read_document(write(tmp_path, book(version)))
    assert document.format == "epub"
    assert document.title == "A Small Book"
    assert document.source == "Ada Writer, Bo Second"
    assert document.date == "2021-05-04"
    # chapter 2 has no heading of its own: its outline title (nav or NCX) becomes one
    assert [s.title for s in document.sections] == ["Chapter 1", "Outline title 2", "Chapter 3"]
    order = [document.text.index(f"marker{i}") for i in (1, 2, 3)]
    assert order == sorted(order)
    assert "var hidden" not in document.text and "color: red" not in document.text
    assert document.blocks[0].kind is BlockKind.TITLE


def test_images_become_their_alt_text_and_lists_quotes_tables_stay(tmp_path: Path) -> None:
    extra = (
        '<p><img src="a.png" alt="A map of the harbour"/></p><ul><li>first item</li></ul>'
        "<blockquote><p>quoted words</p></blockquote><table><tr><td>cell a</td><td>cell b</td></tr></table>"
        "<pre>code line</pre>"
    )
    members = {
        "OEBPS/ch1.xhtml": chapter("One", "Text.", extra=extra),
        "OEBPS/content.opf": opf(["ch1.xhtml"], nav=False, version="2.0"),
        "OEBPS/toc.ncx": "<ncx/>",
    }
    document = read_document(write(tmp_path, make_epub(members)))
    kinds = {block.text: block.kind for block in document.blocks}
    assert "A map of the harbour" in document.text
    assert kinds["first item"] is BlockKind.LIST_ITEM
    assert kinds["quoted words"] is BlockKind.QUOTE
    assert kinds["cell a · cell b"] is BlockKind.PARAGRAPH
    assert kinds["code line"] is BlockKind.CODE


def test_long_book_previews_its_start(tmp_path: Path) -> None:
    words = " ".join(["lorem ipsum dolor sit amet"] * 400)
    chapters = {f"OEBPS/ch{i}.xhtml": chapter(f"Chapter {i}", words, words) for i in range(1, 40)}
    chapters["OEBPS/content.opf"] = opf([f"ch{i}.xhtml" for i in range(1, 40)], version="2.0", nav=False)
    chapters["OEBPS/toc.ncx"] = "<ncx/>"
    path = write(tmp_path, make_epub(chapters))
    previews = []
    document = read_document(path, preview=previews.append)
    assert len(previews) == 1
    head = previews[0]
    assert 0 < len(head.text) < len(document.text) and document.text.startswith(head.text)
    assert head.blocks == document.blocks[: len(head.blocks)]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"PK\x03\x04 not really", "not a ZIP archive"),
        (make_epub({"OEBPS/ch1.xhtml": chapter("x", "y")}, container=None), "no META-INF/container.xml"),
        (make_epub({"OEBPS/ch1.xhtml": chapter("x", "y")}), "package document"),
        (make_epub({}, mimetype=b"application/zip"), "mimetype is 'application/zip'"),
        (
            make_epub({"OEBPS/content.opf": opf(["../../etc/passwd"]), "../evil.xhtml": chapter("x", "y")}),
            "unsafe member name",
        ),
        (
            make_epub(
                {
                    "OEBPS/content.opf": opf(["ch1.xhtml"]),
                    "OEBPS/ch1.xhtml": chapter("x", "y"),
                    "META-INF/encryption.xml": (
                        '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
                        'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
                        '<enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>'
                        '<enc:CipherData><enc:CipherReference URI="OEBPS/ch1.xhtml"/></enc:CipherData>'
                        "</enc:EncryptedData></encryption>"
                    ),
                }
            ),
            "encrypted EPUB (DRM)",
        ),
        (
            make_epub({"OEBPS/content.opf": '<!DOCTYPE p [<!ENTITY a "aaaa">]><package>&a;</package>'}),
            "declares XML entities",
        ),
        (make_epub({"OEBPS/content.opf": opf(["missing.xhtml"])}), "without chapters"),
        (make_epub({"OEBPS/content.opf": "<package><unclosed></package>"}), "not well-formed XML"),
    ],
    ids=["not-zip", "no-container", "missing-opf", "wrong-mimetype", "dotdot", "drm", "entities", "no-spine", "bad-xml"],
)
def test_hostile_archives_get_one_line(tmp_path: Path, data: bytes, reason: str) -> None:
    path = write(tmp_path, data)
    for attempt in (read_document, check_document):
        with pytest.raises(UnreadableDocument) as raised:
            attempt(path)
        assert reason in raised.value.reason
        assert "\n" not in raised.value.reason


def test_font_obfuscation_is_not_drm(tmp_path: Path) -> None:
    members = {
        "OEBPS/content.opf": opf(["ch1.xhtml"], version="2.0", nav=False),
        "OEBPS/toc.ncx": "<ncx/>",
        "OEBPS/ch1.xhtml": chapter("Open", "Readable words."),
        "META-INF/encryption.xml": (
            '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
            'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
            '<enc:EncryptionMethod Algorithm="http://www.idpf.org/2008/embedding"/>'
            '<enc:CipherData><enc:CipherReference URI="OEBPS/font.otf"/></enc:CipherData>'
            "</enc:EncryptedData></encryption>"
        ),
    }
    assert "Readable words." in read_document(write(tmp_path, make_epub(members))).text


def _bomb(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", b"application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", CONTAINER)
        archive.writestr("OEBPS/content.opf", opf(["ch1.xhtml"]))
        with archive.open("OEBPS/ch1.xhtml", "w", force_zip64=True) as member:
            piece = b"\0" * (1 << 20)
            for _ in range(size >> 20):
                member.write(piece)
    return buffer.getvalue()


def test_zip_bomb_by_ratio_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, _bomb(8 << 20))  # 8 MB of zeros: ~8 KB compressed, ~1000 times
    with pytest.raises(UnreadableDocument, match="zip bomb") as raised:
        read_document(path)
    assert "ch1.xhtml" in raised.value.reason


def test_member_larger_than_the_limit_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, _bomb(MAX_MEMBER_BYTES + (1 << 20)))
    with pytest.raises(UnreadableDocument, match="too large"):
        read_document(path)


def test_truncated_epub(tmp_path: Path) -> None:
    data = book()
    with pytest.raises(UnreadableDocument, match="EPUB"):
        read_document(write(tmp_path, data[: len(data) // 2]))


# -- the real books --------------------------------------------------------------

REAL = [
    ("developers-reference.epub", "Debian Developer's Reference", 200, "Internationalization and Translations", "l10n"),
    ("live-manual.en.epub", "Live Systems Manual", 150, "Examples", "This ISO hybrid image can be booted directly"),
    ("live-manual.ja.epub", "Live システムマニュアル", 150, "例", "ここでも チュートリアル 1 と同様、イメージがうまくできているか検証し"),
    ("live-manual.de.epub", "Live Systems Handbuch", 150, "Beispiele", "This ISO hybrid image can be booted directly"),
    ("live-manual.fr.epub", "Manuel Live Systems", 150, "Exemples", "une arborescence de configuration, prête à être"),
    ("ubuntu-packaging-guide.epub", "Ubuntu Packaging Guide", 300, "ubuntu-dev-tools", "ubuntu-dev-tools"),
]


@pytest.mark.corpus
@pytest.mark.parametrize(("name", "title", "sections", "late_section", "late_text"), REAL, ids=[r[0] for r in REAL])
def test_real_books(corpus: Path, name: str, title: str, sections: int, late_section: str, late_text: str) -> None:
    path = corpus / BOOKS / name
    if not path.is_file():
        pytest.skip(f"{name} not in the corpus")
    document = read_document(path)
    assert document.title == title
    assert len(document.sections) >= sections
    # a section from the second half of the book, and a sentence of it
    late = [s for s in document.sections if late_section in s.title and s.offset > len(document.text) // 2]
    assert late, [s.title for s in document.sections[-20:]]
    assert late_text in document.text[late[0].offset :]
