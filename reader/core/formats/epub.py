"""EPUB 2 and 3: the package document's metadata, the spine's chapters, the outline.

- ``META-INF/container.xml`` names the package document (OPF): its metadata gives the
  title, the authors (``dc:creator``), the date, the language (``dc:language``: its primary
  subtag, "pt" of "pt-BR", which the index stems by); its spine the reading order;
- each chapter's XHTML goes through the same block model as a saved page
  (:func:`~reader.core.formats.html.add_html_blocks`): headings, paragraphs, lists,
  quotes, code, tables as rows; images as their alt text; CSS, scripts, fonts ignored;
  footnotes stay where the book puts them;
- the navigation document (EPUB 3 ``nav``, or EPUB 2's NCX) names the chapters: a
  chapter without a heading of its own gets its outline title as one, so every chapter
  and its nested headings are the document's sections;
- a book longer than twice :data:`~reader.core.formats.PREVIEW_CHARS` is previewed once
  its first chapters with text are laid out;
- hostile archives are refused by :mod:`.epub_archive`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from xml.etree import ElementTree

from selectolax.lexbor import LexborHTMLParser

from reader.core.document import BlockKind, Document, DocumentBuilder
from reader.core.formats.encoding import NotText, clean_text, decode
from reader.core.formats.epub_archive import Archive, local, parse_xml, resolve
from reader.core.formats.errors import BadFile
from reader.core.formats.html import add_html_blocks

__all__ = ["check_epub", "parse_epub", "PREVIEW_AFTER"]

PREVIEW_AFTER = 2_000  # characters laid out before a long book's start is shown
_HTML_TYPES = ("application/xhtml+xml", "text/html", "application/x-dtbook+xml")
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_ISO_DATE = re.compile(r"^\s*(\d{4}(?:-\d{2}(?:-\d{2})?)?)")
_SPACE = re.compile(r"\s+")
_SLUG = re.compile(r"^[\w.-]+$")  # "developers-reference": a build's name, not a title
# a book's own navigation inside its chapters (Sphinx's "related" bars, a nav document in the spine)
_NAVIGATION = "nav, [role=navigation], [role=doc-toc]"


def parse_epub(
    data: bytes,
    builder: DocumentBuilder,
    preview: Callable[[Document], None] | None = None,
    preview_from: int = 0,
) -> None:
    """Fill ``builder`` from an EPUB's bytes (:class:`BadFile` with the reason if it will not
    be read); ``preview`` is handed the start once more than ``preview_from`` characters of
    chapters are expected."""
    archive, opf_name, opf, manifest, spine_node, spine = _open(data)
    metadata = _child(opf, "metadata")
    builder.title = _first(metadata, "title")[:300]
    if not builder.title or (_SLUG.match(builder.title) and "-" in builder.title):
        builder.title = _first_heading(archive, spine) or builder.title
    authors = [_text(node) for node in _children(metadata, "creator")]
    builder.source = ", ".join(a for a in authors if a)[:200]
    date = _ISO_DATE.match(_first(metadata, "date"))
    builder.language = _language(_first(metadata, "language"))
    builder.date = date.group(1) if date else ""
    outline = _outline(archive, opf_name, manifest, spine_node)
    builder.add(BlockKind.TITLE, builder.title)
    if builder.source or builder.date:
        builder.add(BlockKind.BYLINE, " · ".join(p for p in (builder.source, builder.date) if p))
    expected = sum(archive.size(name) for name in spine) // 2  # markup is about half an XHTML file
    shown = preview is None or expected <= preview_from
    for name in dict.fromkeys(spine):  # a chapter listed twice is read once
        builder.check()
        _chapter(archive, name, builder, outline.get(name))
        if not shown and builder.length >= PREVIEW_AFTER:
            shown = True
            preview(builder.build())  # type: ignore[misc]


def check_epub(data: bytes) -> None:
    """:class:`BadFile` when the EPUB will not be read: its archive, container, package document
    and spine are looked at, not its chapters."""
    _open(data)


def _open(data: bytes) -> tuple[Archive, str, ElementTree.Element, dict[str, ElementTree.Element], ElementTree.Element | None, list[str]]:
    archive = Archive(data)
    opf_name = _package_name(archive)
    opf = archive.xml(opf_name)
    manifest = {
        item.get("id", ""): item for item in _children(_child(opf, "manifest"), "item") if item.get("href")
    }
    spine_node = _child(opf, "spine")
    spine = []
    for ref in _children(spine_node, "itemref"):
        item = manifest.get(ref.get("idref", ""))
        name = resolve(opf_name, item.get("href", "")) if item is not None else None
        if name and archive.has(name) and item.get("media-type", "application/xhtml+xml") in _HTML_TYPES:
            spine.append(name)
    if not spine:
        raise BadFile("EPUB without chapters (its spine names no XHTML document)")
    return archive, opf_name, opf, manifest, spine_node, spine


def _package_name(archive: Archive) -> str:
    name = "META-INF/container.xml"
    if not archive.has(name):
        raise BadFile("not an EPUB: no META-INF/container.xml")
    for node in archive.xml(name).iter():
        if local(node.tag) == "rootfile":
            path = resolve("", node.get("full-path", ""))
            if path and archive.has(path):
                return path
    raise BadFile("EPUB without a package document (the OPF named in container.xml is missing)")


def _outline(
    archive: Archive, opf_name: str, manifest: dict[str, ElementTree.Element], spine: ElementTree.Element | None
) -> dict[str, tuple[str, int]]:
    """Each chapter file's first outline entry: (title, depth from 1)."""
    entries: list[tuple[str, str, int]] = []
    nav = next((item for item in manifest.values() if "nav" in item.get("properties", "").split()), None)
    try:
        if nav is not None and (name := resolve(opf_name, nav.get("href", ""))) and archive.has(name):
            entries = _nav_entries(archive, name)
        if not entries:
            ncx = manifest.get(spine.get("toc", "")) if spine is not None else None
            ncx = ncx or next((i for i in manifest.values() if i.get("media-type") == "application/x-dtbncx+xml"), None)
            if ncx is not None and (name := resolve(opf_name, ncx.get("href", ""))) and archive.has(name):
                entries = _ncx_entries(archive, name)
    except BadFile:
        entries = []  # a broken outline loses the outline titles, not the book
    found: dict[str, tuple[str, int]] = {}
    for name, title, depth in entries:
        if title:
            found.setdefault(name, (title, depth))
    return found


def _nav_entries(archive: Archive, name: str) -> list[tuple[str, str, int]]:
    tree = LexborHTMLParser(_decode(archive.read(name), name))
    navs = tree.css("nav")
    toc = next((n for n in navs if "toc" in (n.attributes.get("epub:type") or "").split()), navs[0] if navs else None)
    entries: list[tuple[str, str, int]] = []
    if toc is None:
        return entries
    for link in toc.css("a[href]"):
        depth, node = 0, link.parent
        while node is not None and node.mem_id != toc.mem_id and depth < 20:
            depth += node.tag == "li"
            node = node.parent
        target = resolve(name, link.attributes.get("href") or "")
        if target:
            entries.append((target, _collapse(link.text()), max(depth, 1)))
    return entries


def _ncx_entries(archive: Archive, name: str) -> list[tuple[str, str, int]]:
    entries: list[tuple[str, str, int]] = []
    nav_map = next((node for node in archive.xml(name).iter() if local(node.tag) == "navMap"), None)
    stack = [(point, 1) for point in reversed(_children(nav_map, "navPoint"))]
    while stack:
        point, depth = stack.pop()
        label = next((node for node in point.iter() if local(node.tag) == "text"), None)
        content = _child(point, "content")
        target = resolve(name, content.get("src", "")) if content is not None else None
        if target:
            entries.append((target, _collapse(_text(label)) if label is not None else "", depth))
        if depth < 20:
            stack.extend((child, depth + 1) for child in reversed(_children(point, "navPoint")))
    return entries


def _chapter(archive: Archive, name: str, builder: DocumentBuilder, entry: tuple[str, int] | None) -> None:
    tree = LexborHTMLParser(_decode(archive.read(name), name))
    body = tree.body
    if body is None:
        return
    for node in body.css(_NAVIGATION):
        node.decompose()
    for image in body.css("img[alt], image[alt]"):
        alt = _collapse(image.attributes.get("alt") or "")
        if alt:
            image.replace_with(f" {alt} ")
    if entry is not None and body.css_first("h1, h2, h3, h4, h5, h6") is None:
        builder.add(BlockKind.HEADING, entry[0], level=min(entry[1], 6))
    add_html_blocks(body, builder)


def _first_heading(archive: Archive, spine: list[str]) -> str:
    """The first ``h1`` of the first chapters (a title for a book whose metadata has none)."""
    for name in spine[:3]:
        body = LexborHTMLParser(_decode(archive.read(name), name)).body
        heading = body.css_first("h1") if body is not None else None
        if heading is not None:
            return _collapse(heading.text().replace("¶", ""))[:300]
    return ""


def _decode(data: bytes, name: str) -> str:
    head = data[:1024]
    found = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    try:
        text, _ = decode(data, found.group(1).decode("ascii", "replace") if found else "utf-8")
    except NotText as error:
        raise BadFile(f"EPUB member {name[:80]!r}: {error}") from None
    return clean_text(text)


def _children(node: ElementTree.Element | None, name: str) -> list[ElementTree.Element]:
    return [child for child in node if local(child.tag) == name] if node is not None else []


def _child(node: ElementTree.Element | None, name: str) -> ElementTree.Element | None:
    found = _children(node, name)
    return found[0] if found else None


def _first(node: ElementTree.Element | None, name: str) -> str:
    return next((text for child in _children(node, name) if (text := _collapse(_text(child)))), "")


def _text(node: ElementTree.Element) -> str:
    return clean_text("".join(node.itertext()))


def _language(tag: str) -> str:
    """The primary subtag of a language tag ("en-GB" → "en"); "" for anything else."""
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    return primary if 2 <= len(primary) <= 3 and primary.isascii() and primary.isalpha() else ""


def _collapse(text: str) -> str:
    return _SPACE.sub(" ", text).strip()
