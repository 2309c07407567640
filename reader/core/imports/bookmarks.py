"""Lists of links in HTML: browsers' bookmark files and Pocket's older HTML export.

- Netscape bookmark files (``<!DOCTYPE NETSCAPE-Bookmark-file-1>``, what every browser
  exports): ``<DT><A HREF ADD_DATE TAGS>title</A>`` inside ``<DL>`` lists, a folder
  being the ``<H3>`` before its list. The folders an article sits in become its tags
  (the browsers' own top folders, "Bookmarks bar" and the like, do not).
- Pocket's HTML export (``ril_export.html``): ``<h1>Unread</h1>`` and ``<h1>Read
  Archive</h1>``, each followed by a ``<ul>`` of ``<li><a href time_added tags>``;
  the articles under "Read Archive" are archived.

Only links: the articles are fetched later. Only http(s) links are kept (``javascript:``,
``place:`` and the like are skipped silently: a bookmark file is full of them).
"""

from __future__ import annotations

from reader.core.imports import MAX_ARTICLES, ImportedArticle, ParsedExport
from reader.core.imports.common import Problems, clean_tags, utc_time
from reader.core.urls import BadUrl, check_url

__all__ = ["parse", "NETSCAPE", "POCKET"]

NETSCAPE = "Netscape bookmarks (HTML)"
POCKET = "Pocket (HTML)"
_MAX_DEPTH = 200  # ancestors looked at for folders
_ROOTS = {
    "bookmarks",
    "bookmarks bar",
    "bookmarks toolbar",
    "bookmarks menu",
    "other bookmarks",
    "mobile bookmarks",
    "favorites bar",
    "favourites bar",
    "unsorted bookmarks",
}


def parse(text: str, name: str, service: str) -> ParsedExport:
    from selectolax.lexbor import LexborHTMLParser

    problems = Problems(name)
    export = ParsedExport(service, problems=problems)
    tree = LexborHTMLParser(text)
    for number, anchor in enumerate(tree.css("a[href]"), 1):
        if number > MAX_ARTICLES:
            problems.add(f"link {number}", f"more than {MAX_ARTICLES} links: the rest is not read")
            break
        attributes = anchor.attributes
        href = (attributes.get("href") or "").strip()
        if not href.lower().startswith(("http:", "https:")):
            continue
        try:
            url = check_url(href)
        except BadUrl as error:
            problems.add(f"link {number}", str(error))
            continue
        tags = list((attributes.get("tags") or "").split(","))
        state = ""
        if service == POCKET:
            heading = _heading_before(anchor, ("ul", "ol"), "h1")
            state = "archive" if heading and "archive" in heading.casefold() else ""
        else:
            tags = _folders(anchor) + tags
        added = utc_time(attributes.get("time_added") or attributes.get("add_date"))
        export.articles.append(
            ImportedArticle(
                url=url,
                title=(anchor.text(deep=True) or "").strip(),
                added=added,
                tags=clean_tags(tags),
                state=state,
                where=f"link {number}",
            )
        )
    return export


def _folders(anchor) -> list[str]:  # type: ignore[no-untyped-def]
    """The names of the folders the link sits in, outermost first (browsers' roots left out)."""
    names: list[str] = []
    node = anchor.parent
    depth = 0
    while node is not None and depth < _MAX_DEPTH:
        if node.tag == "dl":
            heading = _previous_heading(node, "h3")
            if heading and heading.casefold() not in _ROOTS:
                names.append(heading)
        node = node.parent
        depth += 1
    return names[::-1]


def _heading_before(anchor, lists: tuple[str, ...], tag: str) -> str:  # type: ignore[no-untyped-def]
    node = anchor.parent
    depth = 0
    while node is not None and depth < _MAX_DEPTH:
        if node.tag in lists:
            found = _previous_heading(node, tag)
            if found:
                return found
        node = node.parent
        depth += 1
    return ""


def _previous_heading(node, tag: str) -> str:  # type: ignore[no-untyped-def]
    """The text of the ``tag`` element just before ``node`` (among its siblings, or its parent's first)."""
    sibling = node.prev
    steps = 0
    while sibling is not None and steps < 20:
        if sibling.tag == tag:
            return (sibling.text(deep=True) or "").strip()
        if sibling.tag not in ("-text", "p", "-comment"):
            break
        sibling = sibling.prev
        steps += 1
    parent = node.parent
    if parent is not None and parent.tag == "dt":
        child = parent.child
        while child is not None:
            if child.tag == tag:
                return (child.text(deep=True) or "").strip()
            child = child.next
    return ""
