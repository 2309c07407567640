"""Bytes to text: BOMs, UTF-16/32 without a BOM, legacy encodings, binary files."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.formats import UnreadableDocument, read_document
from reader.core.formats.encoding import NotText, clean_text, decode
from tests.conftest import decoded_text

TEXT = "Grüße aus Köln — 数字经济 ok"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-32"])
def test_byte_order_marks(encoding: str):
    text, name = decode(TEXT.encode(encoding))
    assert text == TEXT
    assert name.endswith("-sig")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_wide_encodings_without_bom(encoding: str):
    sample = ("Plain words in a document. " * 20) + TEXT
    text, name = decode(sample.encode(encoding))
    assert text == sample
    assert name == encoding


def test_utf8_and_legacy_latin():
    assert decode(TEXT.encode("utf-8")) == (TEXT, "utf-8")
    latin = (
        "Le président de la République a présenté mercredi ses vœux aux élèves de l'école "
        "élémentaire. « Nous étions très émus », a déclaré la directrice, qui a reçu une "
        "lettre de félicitations. Les événements de l'été dernier ont été évoqués à plusieurs "
        "reprises, notamment la fête du quartier et les défilés du 14 juillet. Après la "
        "cérémonie, les enfants ont goûté des crêpes préparées par les élèves de première."
    )
    text, name = decode(latin.encode("cp1252"))
    assert text == latin
    assert name == "cp1252"


@pytest.mark.parametrize("encoding", ["gbk", "big5", "gb2312"])
def test_chinese_legacy_encodings(encoding: str):
    sample = "香港特別行政區政府致力推動創新科技發展，建設國際創新科技中心。" * 4
    if encoding == "gb2312":
        sample = "香港特别行政区政府致力推动创新科技发展，建设国际创新科技中心。" * 4
    text, _ = decode(sample.encode(encoding))
    assert text == sample


def test_declared_charset_is_used_when_not_utf8():
    sample = "Привет, мир. Это тест кодировки. " * 5
    text, name = decode(sample.encode("koi8-r"), declared="koi8-r")
    assert text == sample
    assert name == "koi8-r"


@pytest.mark.parametrize(
    "data, what",
    [
        (b"\x1f\x8b\x08\x00" + bytes(range(256)), "gzip"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "PNG"),
        (bytes(range(256)) * 4, "NUL"),
    ],
)
def test_binary_data_is_not_text(data: bytes, what: str):
    with pytest.raises(NotText, match=what):
        decode(data)


def test_clean_text_normalizes_line_ends_and_drops_escapes():
    assert clean_text("a\r\nb\rc\n") == "a\nb\nc\n"
    assert clean_text("\x1b[31mred\x1b[0m plain\x07") == "red plain"


def test_unreadable_files_give_a_reason(tmp_path: Path):
    binary = tmp_path / "image.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    with pytest.raises(UnreadableDocument, match="binary file"):
        read_document(binary)
    with pytest.raises(UnreadableDocument, match="no such file"):
        read_document(tmp_path / "missing.txt")
    with pytest.raises(UnreadableDocument, match="unsupported format"):
        read_document(tmp_path / "data.xml")


@pytest.mark.corpus
@pytest.mark.parametrize("codec", ["gb2312", "euc_kr", "shift_jis", "euc_jisx0213", "iso2022_kr", "hz"])
def test_legacy_cjk_decodes_like_its_utf8_twin(corpus: Path, codec: str):
    encoded = decoded_text(corpus / "messy" / f"cpython-cjk--{codec}.txt")
    twin = decoded_text(corpus / "messy" / f"cpython-cjk--{codec}-utf8.txt")
    assert encoded and encoded == twin


@pytest.mark.corpus
def test_every_messy_file_is_read_or_skipped_with_a_reason(corpus: Path):
    read, skipped = 0, 0
    for path in sorted((corpus / "messy").iterdir()):
        try:
            read_document(path)
            read += 1
        except UnreadableDocument as error:
            assert error.reason and "\n" not in error.reason
            skipped += 1
    assert read > 100
    assert skipped >= 2  # the gzip and the PNG renamed as documents


@pytest.mark.corpus
@pytest.mark.parametrize(
    "name, needle",
    [
        ("bom--linux-zh_CN-process-howto.rst.txt", "中文"),
        ("iso-2022-jp--emacs-TUTORIAL.ja.txt", "入門ガイド"),
        ("chardet--UTF-16LE--nobom-utf16le.txt", ""),
        ("ansi-escapes--fortunes-zh-tang300.txt", ""),
        ("long-line--go-compress-e.txt", "2.71828"),
    ],
)
def test_messy_samples(corpus: Path, name: str, needle: str):
    document = read_document(corpus / "messy" / name)
    assert "\x1b" not in document.text
    assert "\ufffd" not in document.text[:2000]
    assert needle in document.text
