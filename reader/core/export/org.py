"""Org export: ``*`` per document, ``**`` per note, property drawers and quote blocks.

::

    * Document title                                         :doc_tag:
    :PROPERTIES:
    :ID:       DOC-ID
    :SOURCE:   [[file:/path/to/file.txt][file.txt]]
    :END:
    ** “the quoted passage, cut to a line…”                :tag:
    :PROPERTIES:
    :ID:       NOTE-ID
    :CREATED:  [2026-11-24 Tue 18:40]
    :SOURCE:   [[file:/path/to/file.txt::the quoted passage][passage]]
    :END:
    #+begin_quote
    the quoted passage
    #+end_quote
    The note's text

Every piece of user text is escaped the way Org itself escapes (``org_escape``):
a zero-width space after what would open markup, before a line that would read
as structure, before a headline's first word when it could be a keyword
(``TODO``, ``COMMENT``…); ``$`` as ``\\dollar{}``. Tags are percent-encoded
(``a/b`` → ``a%2Fb``), so that every tag comes back by percent-decoding. The
document's own tags (``TaggedDocument``) are its headline's tags, which Org's tag
inheritance gives to every note under it.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from reader.core.export.common import Documents, document_tags, live_in_order, one_line, parse_time, title_of
from reader.core.export.markdown_escape import split_lines
from reader.core.export.org_escape import org_headline, org_inline, org_lines, org_tag
from reader.core.notes import DocumentRef, Kind, Note

__all__ = ["render_org"]

_HEADLINE_QUOTE = 72  # characters of the quote in a note's headline
_SEARCH_WORDS = 6  # words of the quote in the file link's search option
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def render_org(documents: Documents, *, exported: str) -> str:
    ordered = live_in_order(documents)
    title = (title_of(ordered[0][0]) or _name(ordered[0][0])) if len(ordered) == 1 else "Annotations"
    lines = [f"#+title: {org_headline(one_line(title))}", f"#+date: {_stamp(exported)}", ""]
    for document, notes in ordered:
        lines.extend(_document(document, notes))
    return "\n".join(lines).rstrip("\n") + "\n"


def _document(document: DocumentRef, notes: list[Note]) -> list[str]:
    own = ":".join(org_tag(tag) for tag in document_tags(document))
    lines = [f"* {_headline(title_of(document) or _name(document))}" + (f"  :{own}:" if own else "")]
    properties = [("ID", document.id), ("SOURCE", _link(document.path, "", _name(document)))]
    if document.source.strip():
        properties.append(("AUTHOR", document.source))
    lines.extend(_drawer(properties))
    lines.append("")
    for note in notes:
        lines.extend(_note(document, note))
    return lines


def _note(document: DocumentRef, note: Note) -> list[str]:
    if note.kind is Kind.BOOKMARK:
        headline = f"Bookmark “{one_line(note.name or note.target.exact, _HEADLINE_QUOTE)}”"
    else:
        headline = f"“{one_line(note.target.exact, _HEADLINE_QUOTE)}”"
    tags = ":".join(org_tag(tag) for tag in note.tags)
    lines = [f"** {_headline(headline)}" + (f"  :{tags}:" if tags else "")]
    properties = [
        ("ID", note.id),
        ("CREATED", _stamp(note.created)),
        ("SOURCE", _link(document.path, _search(note.target.exact), "passage")),
        ("LOCATION", f"p. {note.page}" if note.page else f"{note.target.start}-{note.target.end}"),
    ]
    if note.section:
        properties.append(("SECTION", note.section))
    lines.extend(_drawer(properties))
    if note.target.exact.strip():
        lines += ["#+begin_quote", *_escaped(note.target.exact), "#+end_quote"]
    if note.text.strip():
        lines.extend(_escaped(note.text))
    lines.append("")
    return lines


def _drawer(properties: list[tuple[str, str]]) -> list[str]:
    body = [f"{f':{key}:':<10} {one_line(value)}" for key, value in properties if value.strip()]
    return [":PROPERTIES:", *body, ":END:"]


def _escaped(text: str) -> list[str]:
    """The lines of ``text`` as literal Org paragraphs."""
    return org_lines(split_lines(text.strip("\r\n")))


def _headline(text: str) -> str:
    """One line of literal text; no keyword, priority, comment or ``:tags:`` read in it."""
    return org_headline(one_line(text) or "(untitled)")


def _link(path: str, search: str, description: str) -> str:
    target = re.sub(r"([\[\]])", r"\\\1", path)
    if target.endswith("\\"):
        target += "\\"
    if search:
        target += f"::{search}"
    label = org_inline(description.replace("[", "(").replace("]", ")"))
    return f"[[file:{target}][{label}]]"


def _search(exact: str) -> str:
    """A few words of the quote for the link's text search; "" when Org would misread them."""
    words = re.sub(r"[\[\]\\]", " ", exact).split()[:_SEARCH_WORDS]
    search = " ".join(words)
    if not search or not search[0].isalpha():
        return ""  # *heading, #id, (ref), /regexp/ and line numbers mean something else
    return search


def _stamp(value: str) -> str:
    """An inactive Org timestamp (``[2026-11-24 Tue 18:40]``, UTC), or the value as it is."""
    parsed = parse_time(value)
    if parsed is None:
        return value
    return f"[{parsed:%Y-%m-%d} {_DAYS[parsed.weekday()]} {parsed:%H:%M}]"


def _name(document: DocumentRef) -> str:
    return PurePath(document.path).name or document.path
