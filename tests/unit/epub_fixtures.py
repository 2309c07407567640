"""Small EPUBs made with zipfile, for the EPUB reader's tests."""

from __future__ import annotations

import io
import zipfile

CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>"""


def chapter(title: str | None, *paragraphs: str, extra: str = "") -> str:
    heading = f"<h1>{title}</h1>" if title else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" '
        'xmlns:epub="http://www.idpf.org/2007/ops"><head><title>x</title>'
        "<style>p { color: red }</style><script>var hidden = 1;</script></head>"
        f"<body>{heading}{body}{extra}</body></html>"
    )


def opf(chapters: list[str], *, version: str = "3.0", title: str = "A Small Book", nav: bool = True) -> str:
    items = "".join(
        f'<item id="c{i}" href="{name}" media-type="application/xhtml+xml"/>' for i, name in enumerate(chapters)
    )
    if version.startswith("3") and nav:
        items += '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
    else:
        items += '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>'
    refs = "".join(f'<itemref idref="c{i}"/>' for i in range(len(chapters)))
    toc = "" if version.startswith("3") and nav else ' toc="ncx"'
    return (
        f'<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="{version}">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{title}</dc:title><dc:creator>Ada Writer</dc:creator><dc:creator>Bo Second</dc:creator>"
        "<dc:language>en</dc:language><dc:date>2021-05-04T10:00:00Z</dc:date></metadata>"
        f"<manifest>{items}</manifest><spine{toc}>{refs}</spine></package>"
    )


def nav(entries: list[tuple[str, str]]) -> str:
    links = "".join(f'<li><a href="{href}">{title}</a></li>' for href, title in entries)
    return (
        '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
        f'<body><nav epub:type="toc"><ol>{links}</ol></nav></body></html>'
    )


def ncx(entries: list[tuple[str, str]]) -> str:
    points = "".join(
        f'<navPoint id="p{i}"><navLabel><text>{title}</text></navLabel><content src="{href}"/></navPoint>'
        for i, (href, title) in enumerate(entries)
    )
    return f'<?xml version="1.0"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/"><navMap>{points}</navMap></ncx>'


def make_epub(
    members: dict[str, str | bytes],
    *,
    mimetype: bytes | None = b"application/epub+zip",
    container: str | None = CONTAINER,
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if mimetype is not None:
            archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        if container is not None:
            archive.writestr("META-INF/container.xml", container)
        for name, data in members.items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def book(version: str = "3.0", chapters: int = 3, **kw: object) -> bytes:
    names = [f"ch{i}.xhtml" for i in range(1, chapters + 1)]
    members: dict[str, str | bytes] = {
        f"OEBPS/{name}": chapter(
            f"Chapter {i}" if i != 2 else None,
            f"Paragraph one of chapter {i}, with the word marker{i}.",
            f"Paragraph two of chapter {i}.",
        )
        for i, name in enumerate(names, 1)
    }
    entries = [(name, f"Outline title {i}") for i, name in enumerate(names, 1)]
    members["OEBPS/content.opf"] = opf(names, version=version, **kw)  # type: ignore[arg-type]
    if version.startswith("3"):
        members["OEBPS/nav.xhtml"] = nav(entries)
    else:
        members["OEBPS/toc.ncx"] = ncx(entries)
    return make_epub(members)
