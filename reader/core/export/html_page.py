"""HTML export: one standalone, printable page; no scripts, every user text escaped.

``<h1>`` names the export, each document is an ``<article>`` with an ``<h2>``,
sections are ``<h3>``, and each note a ``<section id="note-ID">`` holding the
quote (``<blockquote>``), the note's text, its tags, date and a link back to the
passage. Quotes and notes keep their line breaks through ``white-space:
pre-wrap`` and their direction through ``dir="auto"`` (Arabic, Hebrew).
"""

from __future__ import annotations

from html import escape
from pathlib import PurePath

from reader.core.export.common import Documents, live_in_order, short_time, title_of
from reader.core.export.links import file_uri, passage_link
from reader.core.notes import DocumentRef, Kind, Note

__all__ = ["render_html"]

_NO_SECTION = "(before the first heading)"

_STYLE = """
:root { color-scheme: light dark; --muted: #6b6b6b; --rule: #d8d8d8; --mark: #c9a227; }
body { max-width: 44rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.55;
  font-family: Georgia, "Noto Serif", "Noto Serif CJK SC", "Noto Naskh Arabic", serif; }
h1 { font-size: 1.7rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.35rem; margin-top: 2.5rem; border-bottom: 1px solid var(--rule); }
h3 { font-size: 1.05rem; margin-top: 1.8rem; }
.meta, .when { color: var(--muted); font-size: 0.9rem; }
.note { margin: 1.2rem 0; padding-bottom: 0.8rem; border-bottom: 1px dashed var(--rule); }
blockquote { margin: 0.5rem 0; padding-left: 1rem; border-left: 3px solid var(--mark); }
blockquote, .text { white-space: pre-wrap; overflow-wrap: anywhere; }
a { color: inherit; }
@media print {
  body { max-width: none; margin: 0; font-size: 11pt; }
  .note { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  a { text-decoration: none; }
}
""".strip()


def render_html(documents: Documents, *, exported: str) -> str:
    ordered = live_in_order(documents)
    title = (title_of(ordered[0][0]) or _name(ordered[0][0])) if len(ordered) == 1 else "Annotations"
    count = sum(len(notes) for _, notes in ordered)
    parts = [
        "<!doctype html>",
        '<html lang="">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f"<style>\n{_STYLE}\n</style>",
        "</head>",
        "<body>",
        f'<header><h1 dir="auto">{_e(title)}</h1>',
        f'<p class="meta">{count} note{"" if count == 1 else "s"} · exported '
        f'<time datetime="{_e(exported)}">{_e(short_time(exported))}</time></p></header>',
    ]
    for document, notes in ordered:
        parts.extend(_document(document, notes))
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _document(document: DocumentRef, notes: list[Note]) -> list[str]:
    about = f"{_e(document.source)} · " if document.source.strip() else ""
    parts = [
        f'<article id="doc-{_e(document.id)}">',
        f'<h2 dir="auto">{_e(title_of(document) or _name(document))}</h2>',
        f'<p class="meta">{about}<a href="{_e(file_uri(document.path))}">{_e(_name(document))}</a></p>',
    ]
    section: str | None = None
    for note in notes:
        if note.section != section and (note.section or section is not None):
            parts.append(f'<h3 dir="auto">{_e(note.section or _NO_SECTION)}</h3>')
        section = note.section
        parts.append(_note(document, note))
    parts.append("</article>")
    return parts


def _note(document: DocumentRef, note: Note) -> str:
    parts = [f'<section class="note" id="note-{_e(note.id)}">']
    if note.kind is Kind.BOOKMARK:
        label = note.name or note.target.exact
        parts.append(f'<p class="bookmark"><strong>Bookmark:</strong> <span dir="auto">{_e(label)}</span></p>')
    elif note.target.exact.strip():
        parts.append(f'<blockquote dir="auto">{_e(note.target.exact)}</blockquote>')
    if note.text.strip():
        parts.append(f'<div class="text" dir="auto">{_e(note.text)}</div>')
    tags = " ".join(f'<span class="tag" dir="auto">#{_e(tag)}</span>' for tag in note.tags)
    when = f'<time datetime="{_e(note.created)}">{_e(short_time(note.created))}</time>'
    link = f'<a href="{_e(passage_link(document.path, note.target))}">passage</a>'
    parts.append(f'<p class="when">{tags + " · " if tags else ""}{when} · {link}</p>')
    parts.append("</section>")
    return "\n".join(parts)


def _name(document: DocumentRef) -> str:
    return PurePath(document.path).name or document.path


def _e(text: str) -> str:
    return escape(text, quote=True)
