"""Small PDFs made with fpdf2, for the PDF reader's tests."""

from __future__ import annotations

from fpdf import FPDF

LOREM = (
    "The harbour lights were lit one by one as the ferry came in, and the passengers gathered "
    "their bags while the crew made the ropes fast along the quay."
)


def _pdf() -> FPDF:
    pdf = FPDF(format="A4", unit="pt")
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=11)
    return pdf


def _header_footer(pdf: FPDF, number: int) -> None:
    pdf.set_font("Helvetica", size=9)
    pdf.set_xy(60, 30)
    pdf.cell(300, 12, "The Small Report - running header")
    pdf.set_xy(290, 800)
    pdf.cell(20, 12, str(number))
    pdf.set_font("Helvetica", size=11)


def paper(pages: int = 3, *, outline: bool = True, labels: bool = False, headers: bool = True) -> bytes:
    """One column, a heading per page (in the outline when ``outline``), running header and
    footer, a word hyphenated across two lines."""
    pdf = _pdf()
    pdf.set_title("The Small Report")
    pdf.set_author("Ada Writer")
    for number in range(1, pages + 1):
        pdf.add_page()
        if labels and number <= 2:  # i, then 1, 2, ...
            pdf.set_page_label(label_style="r") if number == 1 else pdf.set_page_label(label_style="D", label_start=1)
        if headers:
            _header_footer(pdf, number)
        pdf.set_xy(60, 90)
        pdf.set_font("Helvetica", size=20)
        if outline:
            pdf.start_section(f"Part {number} of the report")
        pdf.cell(400, 24, f"Part {number} of the report")
        pdf.set_font("Helvetica", size=11)
        y = 130
        lines = [
            f"First paragraph of part {number}: the words marker{number} and",
            "the harbour are here, and the sentence goes on over a care-",
            "fully hyphenated word to the end.",
        ]
        for line in lines:
            pdf.set_xy(60, y)
            pdf.cell(470, 14, line)
            y += 14
        y += 14
        for line in ("A second paragraph, set apart by a blank line,", "ends here."):
            pdf.set_xy(60, y)
            pdf.cell(470, 14, line)
            y += 14
    return bytes(pdf.output())


def two_columns() -> bytes:
    pdf = _pdf()
    pdf.add_page()
    pdf.set_xy(60, 60)
    pdf.set_font("Helvetica", size=18)
    pdf.cell(470, 20, "A Two Column Paper")
    pdf.set_font("Helvetica", size=10)
    for column, x in (("left", 60), ("right", 310)):
        y = 110
        for row in range(20):
            pdf.set_xy(x, y)
            pdf.cell(220, 12, f"{column} column line {row:02d} of text here")
            y += 12
    return bytes(pdf.output())


def no_text(pages: int = 3) -> bytes:
    """Pages holding only an image (a scan)."""
    import io

    from PIL import Image

    image = Image.new("L", (200, 200), 200)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    pdf = _pdf()
    for _ in range(pages):
        pdf.add_page()
        buffer.seek(0)
        pdf.image(buffer, x=50, y=50, w=400)
    return bytes(pdf.output())


def encrypted() -> bytes:
    pdf = _pdf()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_xy(60, 60)
    pdf.cell(400, 14, "Secret words")
    return bytes(pdf.output())
