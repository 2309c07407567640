"""The corpus's ``messy`` folder, all of it, and the texts it holds in several encodings.

Every file is read into a document that holds together (the checks of
``test_hostile_formats``) or refused with a one-line reason: the ``.xml`` feeds
as an unsupported format, the gzip and PNG renamed as documents and the page of
NUL bytes as binary. Then the twins: where the corpus has one text in a legacy
encoding and in UTF-8 (or in several legacy encodings), the documents read from
them have the same normalized text. The pairs compared are the parameters of
``test_twins_read_alike`` (``pytest -v`` lists them). Skipped where the corpus is
absent (``READER_CORPUS`` or ``../shared/corpus``); a file missing from this copy
of the corpus skips its own case. The whole module takes about two seconds.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.formats import UnreadableDocument, read_document
from tests.conftest import CORPUS, decoded_text
from tests.unit.test_hostile_formats import assert_holds_together

pytestmark = pytest.mark.corpus

MESSY = CORPUS / "messy"
NAMES = sorted(path.name for path in MESSY.iterdir()) if MESSY.is_dir() else []
REFUSED = {
    "binary-gzip-named-as--changelog.txt": "binary file (gzip data)",
    "binary-png-named-as--image.md": "binary file (a PNG image)",
    "chardet--ascii--_mozilla_bug638318_text.html": "binary file (contains NUL bytes)",  # 1,070 of 1,108 bytes
}

# one text, several files: the first of each group is the reference (UTF-8 where there is one)
GROUPS = {
    "japanese": ["chardet--utf-8-sig--_ude_4.txt", "chardet--EUC-JP--_ude_1.txt", "chardet--iso-2022-jp--_ude_1.txt",
                 "chardet--SHIFT_JIS--_ude_3.txt"],
    "korean": ["chardet--utf-8--_ude_1.txt", "chardet--EUC-KR--_ude_euc1.txt", "chardet--iso-2022-kr--_ude_iso1.txt",
               "charset-normalizer--sample-korean.txt"],
    "korean-2": ["chardet--utf-8--_ude_2.txt", "chardet--EUC-KR--_ude_euc2.txt"],
    "russian": ["chardet--utf-8--_ude_russian.txt", "chardet--IBM855--_ude_1.txt", "chardet--IBM866--_ude_1.txt",
                "chardet--KOI8-R--_ude_1.txt", "chardet--windows-1251-russian--_ude_1.txt",
                "charset-normalizer--sample-russian-2.txt", "charset-normalizer--sample-russian.txt"],
    "greek": ["chardet--utf-8--_ude_greek.txt", "chardet--iso-8859-7-greek--_ude_greek.txt",
              "chardet--iso-8859-7-greek--_ude_3.txt", "charset-normalizer--sample-greek.txt",
              "charset-normalizer--sample-greek-2.txt"],
    "hebrew": ["chardet--utf-8--_ude_he1.txt", "chardet--windows-1255-hebrew--_ude_he1.txt"],
    "hebrew-2": ["chardet--utf-8--_ude_he3.txt", "charset-normalizer--sample-hebrew-2.txt"],
    "arabic": ["charset-normalizer--sample-arabic.txt", "charset-normalizer--sample-arabic-1.txt"],
    "turkish": ["charset-normalizer--sample-turkish.txt", "chardet--iso-8859-9-turkish--wikitop_tr_ISO-8859-9.txt"],
    "slovak": ["chardet--windows-1250-slovak--_ude_2.txt", "chardet--iso-8859-2-slovak--_ude_2.txt"],
    "utf-16/32 pages": ["chardet--UTF-16LE--plane1-utf-16le.html", "chardet--UTF-16BE--plane1-utf-16be.html",
                        "chardet--UTF-32LE--plane1-utf-32le.html", "chardet--UTF-32BE--plane1-utf-32be.html"],
    "utf-16/32 without BOM": ["chardet--UTF-16LE--nobom-utf16le.txt", "chardet--UTF-32LE--nobom-utf32le.txt"],
    **{
        f"cpython {codec}": [f"cpython-cjk--{codec}-utf8.txt", f"cpython-cjk--{codec}.txt"]
        for codec in ("euc_jisx0213", "euc_kr", "gb2312", "hz", "iso2022_kr", "shift_jis")
    },
}
# the ISO-8859-2 copies hold "?" where windows-1250 has „ “ –, which ISO-8859-2 cannot encode
NARROWED = {
    "polish": ("chardet--windows-1250-polish--_ude_1.txt", "chardet--iso-8859-2-polish--_ude_1.txt", "iso8859-2"),
    "czech": ("chardet--windows-1250-czech--_ude_2.txt", "chardet--iso-8859-2-czech--_ude_2.txt", "iso8859-2"),
}
PAIRS = [
    pytest.param(group[0], other, id=f"{name}: {other} = {group[0]}")
    for name, group in GROUPS.items()
    for other in group[1:]
] + [
    pytest.param(
        "cpython-cjk--big5hkscs-utf8.txt",
        "cpython-cjk--big5hkscs.txt",
        id="cpython big5hkscs",
        marks=pytest.mark.xfail(strict=True, reason="23 bytes: chardet guesses cp720 at confidence 0.01"),
    )
]


def messy(corpus: Path, name: str) -> Path:
    path = corpus / "messy" / name
    if not path.is_file():
        pytest.skip(f"{name} is not in this copy of the corpus")
    return path


@pytest.mark.parametrize("name", NAMES or [pytest.param("", marks=pytest.mark.skip(reason=f"no {MESSY}"))])
def test_every_messy_file_is_read_or_refused(corpus: Path, name: str) -> None:
    path = messy(corpus, name)
    try:
        document = read_document(path)
    except UnreadableDocument as error:
        assert error.reason and "\n" not in error.reason
        expected = REFUSED.get(name) or ("unsupported format (.xml)" if name.endswith(".xml") else None)
        assert error.reason == expected, f"{name} refused: {error.reason}"
        return
    assert name not in REFUSED and not name.endswith(".xml")
    assert_holds_together(document)


@pytest.mark.parametrize("reference, other", PAIRS)
def test_twins_read_alike(corpus: Path, reference: str, other: str) -> None:
    one, two = decoded_text(messy(corpus, reference)), decoded_text(messy(corpus, other))
    assert one and one == two, f"{other} differs from {reference}"


@pytest.mark.parametrize("wide, narrow, codec", NARROWED.values(), ids=NARROWED.keys())
def test_twins_read_alike_as_far_as_the_narrower_encoding_goes(
    corpus: Path, wide: str, narrow: str, codec: str
) -> None:
    one, two = decoded_text(messy(corpus, wide)), decoded_text(messy(corpus, narrow))
    narrowed = one.encode(codec, "replace").decode(codec)
    assert one != two and narrowed == two
