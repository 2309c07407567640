"""PDF: text in reading order, paragraphs, headings and the page of every block.

pypdfium2 (PDFium's text layer: Apache-2.0/BSD) gives each page's text runs with
their boxes and font sizes; :mod:`.pdf_layout` makes lines, columns and paragraphs
of them. Then, with figures taken once from a sample of pages (so a preview and the
whole document agree):

- running headers and footers: lines in the top or bottom band of the page whose
  text (digits aside) repeats on several pages, and bare page numbers, are dropped;
- headings: the PDF outline (bookmarks), each title found on its page (else put at
  the top of it); without an outline, paragraphs in a font well above the body's;
- pages: each page starts a :class:`~reader.core.document.Page` with its printed
  label (``/PageLabels``: "iv", "12") or its number;
- a PDF that needs a password is "encrypted"; one whose pages mostly have no text is
  "no text layer" (scanned images, or text drawn as shapes).

PDFium is not safe to call from two threads at once: every call is made under one lock.
"""

from __future__ import annotations

import ctypes
import re
import threading
from collections import Counter
from collections.abc import Callable

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from reader.core.document import BlockKind, Document, DocumentBuilder
from reader.core.formats.encoding import clean_text
from reader.core.formats.errors import BadFile
from reader.core.formats.pdf_layout import Line, Paragraph, Run, lines_of, paragraphs_of

__all__ = ["check_pdf", "parse_pdf", "PREVIEW_AFTER"]

_LOCK = threading.Lock()
PREVIEW_AFTER = 2_000
SAMPLE_PAGES = 40  # pages looked at for the body's font size (and whether there is text)
_WINDOW = 4  # pages either side where a running header or footer repeats
_BAND = 0.1  # share of the page height at its top and bottom where running headers sit
_TEXT_PAGES_MIN = 0.25  # share of pages with text under which a PDF has no text layer
_PAGE_CHARS = 100  # characters that make a page one with text (not a scan's stray label)
_CHARS_PER_PAGE = 1_500  # a guess, to know whether a PDF is long enough to preview
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?[-–—(]?\s*(?:\d{1,5}|[ivxlcdm]{1,8})\s*[-–—)]?(?:\s*(?:of|/)\s*\d{1,5})?$", re.I)
_DIGITS = re.compile(r"\d+")
_PDF_DATE = re.compile(r"^D?:?(\d{4})(\d{2})?(\d{2})?")
_SPACE = re.compile(r"\s+")
_IMAGE = 3  # FPDF_PAGEOBJ_IMAGE
_FIXED_PITCH = 1  # FXFONT_FIXED_PITCH, a font's flag (TeX's typewriter fonts do not set it: their names say)
_MONO_NAME = re.compile(r"mono|courier|consol|menlo|typewriter|(?:^|[+-])(?:cm|lm|sf|t1x|t1xb|ec|txtt|pcr|rm)?tt\d*(?:[-,]|$)", re.I)
_ENDS = (".", "!", "?", ":", ";", "”", '"', ")", "]", "…")


def parse_pdf(
    data: bytes,
    builder: DocumentBuilder,
    preview: Callable[[Document], None] | None = None,
    preview_from: int = 0,
) -> None:
    """Fill ``builder`` from a PDF's bytes (:class:`BadFile` with the reason if it will not be read)."""
    with _LOCK:
        pdf = _open(data)
    try:
        _fill(pdf, builder, preview, preview_from)
    finally:
        with _LOCK:
            pdf.close()


def check_pdf(data: bytes) -> None:
    """:class:`BadFile` when the PDF will not be read (damaged, encrypted, no text layer),
    looking at a few pages only."""
    with _LOCK:
        pdf = _open(data)
        try:
            count = len(pdf)
            sample = sorted({*range(min(count, 5)), *range(0, count, max(count // 10, 1))})
            _text_layer(pdf, {index: _page_runs(pdf, index)[0] for index in sample}, count)
        finally:
            pdf.close()


def _open(data: bytes) -> pdfium.PdfDocument:
    if not data.lstrip()[:1024].find(b"%PDF-") >= 0:
        raise BadFile("not a PDF (no %PDF- header)")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        message = str(error)
        if "password" in message.lower():
            raise BadFile("encrypted PDF (it needs a password)") from None
        if "security" in message.lower():
            raise BadFile("encrypted PDF (an unsupported security handler)") from None
        raise BadFile(f"damaged PDF ({message.rstrip('.')})") from None
    if len(pdf) == 0:
        pdf.close()
        raise BadFile("PDF without pages")
    return pdf


def _fill(
    pdf: pdfium.PdfDocument, builder: DocumentBuilder, preview: Callable[[Document], None] | None, preview_from: int
) -> None:
    with _LOCK:
        count = len(pdf)
        meta = pdf.get_metadata_dict(skip_empty=True)
        outline = _outline(pdf, count)
        labels = [_label(pdf, index) for index in range(count)]
        sample_indices = sorted({*range(min(count, SAMPLE_PAGES // 2)), *range(0, count, max(count // (SAMPLE_PAGES // 2), 1))})
        sample = {index: _page_runs(pdf, index) for index in sample_indices}
        _text_layer(pdf, {index: runs for index, (runs, _) in sample.items()}, count)
    sampled = {index: (lines_of(runs, size[0]), size[1]) for index, (runs, size) in sample.items()}
    del sample
    body, levels = _sizes(lines for lines, _ in sampled.values())
    pages: dict[int, tuple[list[Line], float]] = {}  # a window of pages around the one laid out
    builder.title = clean_text(_collapse(meta.get("Title", "")))[:300]
    builder.source = clean_text(_collapse(meta.get("Author", "")))[:200]
    found = _PDF_DATE.match(meta.get("CreationDate", "") or "")
    builder.date = "-".join(p for p in found.groups() if p) if found else ""
    if not builder.title or builder.title.lower() in ("untitled", "microsoft word"):
        builder.title = ""
    title_block = builder.add(BlockKind.TITLE, builder.title)
    if builder.source or builder.date:
        builder.add(BlockKind.BYLINE, " · ".join(p for p in (builder.source, builder.date) if p))
    shown = preview is None or count * _CHARS_PER_PAGE <= preview_from
    carry: Paragraph | None = None  # a page's last paragraph, which the next page may go on with
    for index in range(count):
        builder.check()
        for near in range(max(index - _WINDOW, 0), min(index + _WINDOW + 1, count)):
            if near not in pages:
                if near in sampled:  # read once for the sample: not read again
                    pages[near] = sampled.pop(near)
                    continue
                with _LOCK:
                    runs, (width, height) = _page_runs(pdf, near)
                pages[near] = (lines_of(runs, width), height)
        pages.pop(index - _WINDOW - 1, None)
        lines, height = pages[index]
        running = _running(pages, index)
        lines = [line for line in lines if not _is_running(line, height, running)]
        items = _page_items(paragraphs_of(lines), outline.get(index, []), body, levels, bool(outline))
        carry = _add_page(builder, labels[index], items, carry)
        if not shown and builder.length >= PREVIEW_AFTER:
            shown = True
            preview(builder.build())  # type: ignore[misc]
    if carry is not None:
        builder.add(BlockKind.PARAGRAPH, carry.text)
    if title_block is None and builder.blocks:
        builder.title = next((b.text for b in builder.blocks if b.kind is BlockKind.HEADING), "")[:300]


def _page_runs(pdf: pdfium.PdfDocument, index: int) -> tuple[list[Run], tuple[float, float]]:
    """A page's text runs (under the lock) and its size."""
    page = pdf[index]
    try:
        size = page.get_size()
        textpage = page.get_textpage()
        name = ctypes.create_string_buffer(128)
        flags = ctypes.c_int()
        try:
            runs = []
            for number in range(textpage.count_rects()):
                left, bottom, right, top = textpage.get_rect(number)
                text = textpage.get_text_bounded(left, bottom, right, top)
                # PDFium marks a hyphen that breaks a word at a line end as \x02: kept as a soft hyphen
                text = clean_text(text.replace("\x02", "\xad").replace("\ufffe", "\xad")).replace("\n", " ")
                if not text.strip():
                    continue
                char = None
                for x in (left + 0.5, (left + right) / 2, right - 0.5):  # leading spaces have no box
                    char = textpage.get_index(x, (top + bottom) / 2, 1.0, max((top - bottom) / 2, 1.0))
                    if char is not None and char >= 0:
                        break
                font = mono = 0
                if char is not None and char >= 0:
                    char = _first_letter(textpage, char)
                    font = pdfium_c.FPDFText_GetFontSize(textpage.raw, char)
                    mono = _monospace(textpage, char, name, flags)
                runs.append(Run(left, bottom, right, top, text, float(font) or (top - bottom), bool(mono)))
        finally:
            textpage.close()
    finally:
        page.close()
    return runs, size


def _text_layer(pdf: pdfium.PdfDocument, sample: dict[int, list[Run]], count: int) -> None:
    with_text = [index for index, runs in sample.items() if sum(len(r.text.strip()) for r in runs) >= _PAGE_CHARS]
    if len(with_text) >= max(len(sample) * _TEXT_PAGES_MIN, 1):
        return
    empty = next((index for index in sample if index not in with_text), 0)
    page = pdf[empty]
    try:
        images = any(obj.type == _IMAGE for obj in page.get_objects(max_depth=2))
    finally:
        page.close()
    what = "scanned images" if images else "its text is drawn as shapes"
    raise BadFile(f"no text layer: {what} ({len(sample) - len(with_text)} of {len(sample)} pages looked at have little or no text)")


def _outline(pdf: pdfium.PdfDocument, count: int) -> dict[int, list[tuple[str, int]]]:
    """Bookmarks by page index: (title, level from 1)."""
    found: dict[int, list[tuple[str, int]]] = {}
    try:
        for number, bookmark in enumerate(pdf.get_toc(max_depth=8)):
            if number > 20_000:
                break
            dest = bookmark.get_dest()
            index = dest.get_index() if dest is not None else None
            title = _collapse(clean_text(bookmark.get_title() or ""))
            if title and index is not None and 0 <= index < count:
                found.setdefault(index, []).append((title[:300], min(bookmark.level + 1, 6)))
    except (pdfium.PdfiumError, ValueError, RecursionError):
        return found  # a broken outline loses the headings it gives, not the document
    return found


def _label(pdf: pdfium.PdfDocument, index: int) -> str:
    try:
        label = _collapse(clean_text(pdf.get_page_label(index) or ""))
    except (pdfium.PdfiumError, ValueError):
        label = ""
    return label[:20] or str(index + 1)


def _sizes(pages: object) -> tuple[float, dict[float, int]]:
    """The body's font size (most characters are set in it) and heading levels by size."""
    weight: Counter[float] = Counter()
    for lines in pages:  # type: ignore[attr-defined]
        for line in lines:
            weight[line.size] += len(line.text)
    if not weight:
        return 0.0, {}
    body = weight.most_common(1)[0][0]
    bigger = sorted((size for size in weight if size >= body * 1.15), reverse=True)[:5]
    return body, {size: level for level, size in enumerate(bigger, 1)}


def _running(pages: dict[int, tuple[list[Line], float]], index: int) -> set[str]:
    """Keys of the lines in the page bands of the pages near ``index`` (but not on it): a line
    of its own bands with one of these keys is a running header or footer ("12 Chapter 3.
    Duties" on the even pages of a chapter, "Chapter 3" on the odd ones)."""
    keys: set[str] = set()
    for near, (lines, height) in pages.items():
        if near != index and abs(near - index) <= _WINDOW:
            keys.update(_key(line) for line in lines if _in_band(line, height))
    return keys


def _is_running(line: Line, height: float, running: set[str]) -> bool:
    return _in_band(line, height) and (_key(line) in running or bool(_PAGE_NUMBER.match(line.text.strip())))


def _in_band(line: Line, height: float) -> bool:
    return line.bottom >= height * (1 - _BAND) or line.top <= height * _BAND


def _key(line: Line) -> str:
    return _DIGITS.sub("#", line.text.casefold()).strip()


def _page_items(
    paragraphs: list[Paragraph],
    bookmarks: list[tuple[str, int]],
    body: float,
    levels: dict[float, int],
    has_outline: bool,
) -> list[tuple[BlockKind, int, str, Paragraph | None]]:
    """A page's blocks: (kind, level, text, the paragraph a body paragraph was made of)."""
    pending = list(bookmarks)
    kinds: list[tuple[BlockKind, int, str, Paragraph | None]] = []
    for paragraph in paragraphs:
        text = paragraph.text
        match = next((b for b in pending if _same(text, b[0])), None)
        if match is not None:
            pending.remove(match)
            kinds.append((BlockKind.HEADING, match[1], text, None))
        elif not has_outline and body and paragraph.size in levels and len(text) <= 150:
            kinds.append((BlockKind.HEADING, levels[paragraph.size], text, None))
        elif paragraph.mono:
            kinds.append((BlockKind.CODE, 0, paragraph.code, None))
        else:
            kinds.append((BlockKind.PARAGRAPH, 0, text, paragraph))
    # a bookmark whose title is not on its page as a paragraph
    return [(BlockKind.HEADING, level, title, None) for title, level in pending] + kinds


def _add_page(
    builder: DocumentBuilder,
    label: str,
    items: list[tuple[BlockKind, int, str, Paragraph | None]],
    carry: Paragraph | None,
) -> Paragraph | None:
    """Add a page's blocks; ``carry`` is the last paragraph of the page before, held back: a
    paragraph this page goes on with (its first block, starting in lower case, after a line
    that ended no sentence) is joined to it, and the page starts inside it. Returns this page's
    own last paragraph, held back in turn (None when it ends a sentence)."""
    if carry is not None:
        first = items[0][3] if items else None
        if first is not None and _goes_on(carry, first):
            head = carry.text
            joined = Paragraph(carry.lines + first.lines)
            block = builder.add(BlockKind.PARAGRAPH, joined.text)
            if block is not None:
                builder.page(label, at=block.start + _join_point(head, block.text))
            items = items[1:]
            if not items:
                return joined
        else:
            builder.add(BlockKind.PARAGRAPH, carry.text)
            builder.page(label)
    else:
        builder.page(label)
    for kind, level, text, _ in items[:-1]:
        builder.add(kind, text, level=level)
    if not items:
        return None
    kind, level, text, paragraph = items[-1]
    if paragraph is not None and not text.rstrip().endswith(_ENDS):
        return paragraph
    builder.add(kind, text, level=level)
    return None


def _goes_on(before: Paragraph, after: Paragraph) -> bool:
    """Whether ``after`` (a page's first paragraph) is the rest of ``before`` (the last of the
    page before): it starts in lower case, or ``before`` broke a word at its end."""
    last = before.lines[-1].text
    start = after.lines[0].text.lstrip()[:1]
    return start.islower() or (last.endswith(("-", "\xad", "\x02", "\ufffe")) and start.isalpha())


def _join_point(head: str, joined: str) -> int:
    """Where the second page's text starts in a paragraph joined across pages."""
    cut = min(len(head), len(joined))
    while cut and head[:cut] != joined[:cut]:
        cut -= 1
    return cut + 1 if joined[cut : cut + 1] == " " else cut


def _first_letter(textpage: pdfium.PdfTextPage, char: int) -> int:
    """The first character from ``char`` on that is not a space (a space has no font of its own)."""
    for step in range(16):
        code = pdfium_c.FPDFText_GetUnicode(textpage.raw, char + step)
        if code == 0:
            break
        if not chr(code).isspace():
            return char + step
    return char


def _monospace(textpage: pdfium.PdfTextPage, char: int, name: ctypes.Array, flags: ctypes.c_int) -> bool:  # type: ignore[type-arg]
    """Whether the character is set in a monospace font (by its flags, or its name)."""
    length = pdfium_c.FPDFText_GetFontInfo(textpage.raw, char, name, len(name), ctypes.byref(flags))
    if flags.value & _FIXED_PITCH:
        return True
    return 0 < length <= len(name) and bool(_MONO_NAME.search(name.value.decode("latin-1")))


def _same(text: str, title: str) -> bool:
    text, title = _normal(text), _normal(title)
    if not title or len(text) > len(title) + 24:
        return False
    return text == title or text.endswith(title) or (len(text) >= 8 and title.startswith(text))


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text).split()).casefold()


def _collapse(text: str) -> str:
    return _SPACE.sub(" ", text).strip()
