"""Plain text: news articles, interviews, reStructuredText, books, fortunes.

The structure of a plain-text article is inferred, conservatively:

- the title is the first line (or the first reStructuredText heading);
- ``Source:`` and ``Published:`` lines in the head are the byline and date,
  shown once, and a lead paragraph that the head repeats is shown once;
- a single-line paragraph in Title Case without a final full stop, a
  ``Q: …?`` question, or a question that a speaker's answer (``Sun Dong: …``)
  follows is a section heading; reStructuredText underlines make headings too;
- speaker labels are marked so the content pane can style them;
- navigation left at the end of a scraped page (``← Back to News``) is dropped;
- hard-wrapped prose is re-flowed; indented or ragged text is kept as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from reader.core.document import BlockKind, DocumentBuilder, Mark
from reader.core.dates import is_date, iso_date, iso_date_in

__all__ = ["parse_text"]

_SMALL_WORDS = frozenset(
    "a an and as at but by for from in into is are be of on or nor the to with via vs "
    "than that so per its it's was were do does".split()
)
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_SPEAKER = re.compile(r"^((?:[A-Z][\w.'’-]*)(?: (?:[A-Z][\w.'’-]*|de|van|von|bin|al)){0,3}):\s+\S")
_META_LABELS = frozenset(
    "source published date updated author by tags category photo image caption note url link".split()
)
_SOURCE = re.compile(r"^source\s*:\s*(.+)$", re.IGNORECASE | re.DOTALL)
_PUBLISHED = re.compile(r"^(?:published|date|updated)\s*:\s*(.+)$", re.IGNORECASE)
_ISO_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+_:.])\1{2,}\s*$")
_LIST_ITEM = re.compile(r"^(\s{0,6})([-*•+]|\d{1,3}[.)]|[a-z][.)])\s+(\S.*)$")
# a second line under the title that is no byline: a directive, a dedication, a rule
_NOT_A_SOURCE = re.compile(r"^(?:\.\.\s|--|—|–|[=*#~^_+-]{3,}\s*$)")
_URL = re.compile(r"^(?:https?://|www\.)([^/\s?#:]+)", re.IGNORECASE)
_RST_COMMENT = re.compile(r"^\.\. (?!\w[\w-]*::)")
_NOT_LETTER = re.compile(r"[^\w\s]|[\d_]")
# in ASCII text, what _NOT_LETTER does not match: letters and white space (deleted, the rest counted;
# a translation is ~20x quicker than the regex)
_LETTERS_AND_SPACE = {code: None for code in range(128) if chr(code).isalpha() or chr(code).isspace()}
_FORTUNE_SEPARATOR = re.compile(r"^%+\s*$")
_MARK_START = frozenset("=-~^\"'`#*+_:.%")  # what an underline, overline or fortune separator starts with
_CHECK_LINES = 8192  # lines split between two looks at the builder's stop
_NAVIGATION = re.compile(
    r"^(?:[←«‹<]+\s*.{0,40}|(?:back|return|go back) to\b.{0,40}|"
    r"(?:share|tweet|print|email)(?: this)?(?: article| story| page)?:?|"
    r"advertisement|read more|related(?: articles| stories)?:?|top of page|"
    r"(?:next|previous) (?:article|story|page)\b.{0,40}|[↑^]\s*(?:back to )?top)$",
    re.IGNORECASE,
)
_HEAD_PARAGRAPHS = 8
_MAX_TITLE = 200
_FIRST_LINE_INDENT = re.compile(r"^ {2,8}\S")
_TITLE_FIELD = re.compile(r"^title\s*:\s*(\S.{0,150})$", re.IGNORECASE)
_AUTHOR_FIELD = re.compile(r"^(?:author|by)\s*:\s*(\S.{0,120})$", re.IGNORECASE)
_MAX_HEADING = 160
_MAX_QUESTION = 400


def parse_text(text: str, builder: DocumentBuilder) -> None:
    """Fill ``builder`` with the blocks of a plain-text document."""
    paragraphs = _split_paragraphs(text, builder.check)
    rst = any(kind == "rst" for kind, _ in paragraphs)
    if rst:
        paragraphs = [p for p in paragraphs if not (p[0] == "lines" and _RST_COMMENT.match(p[1][0]))]
    paragraphs = _drop_trailing_navigation(paragraphs)
    if not paragraphs:
        return
    body = _take_title(paragraphs, builder)
    body = _take_byline(body, builder)
    _settle_source(builder)
    builder.add(BlockKind.TITLE, builder.title)
    if builder.source or builder.date:
        byline = " · ".join(part for part in (builder.source, builder.date) if part)
        builder.add(BlockKind.BYLINE, byline)
    underline_levels: list[str] = []
    for index, (kind, lines) in enumerate(body):
        following = body[index + 1] if index + 1 < len(body) else None
        if kind == "rst":
            char = lines[1]
            if char not in underline_levels:
                underline_levels.append(char)
            builder.add(BlockKind.HEADING, lines[0], level=underline_levels.index(char) + 1)
        elif kind == "rule":
            builder.add(BlockKind.RULE, "")
        else:
            _add_paragraph(lines, following, builder)


def _split_paragraphs(text: str, check: Callable[[], None] | None = None) -> list[tuple[str, list[str]]]:
    """Paragraphs as (kind, lines); kind is "lines", "rst" (title, char) or "rule".

    ``check`` is called every few thousand lines (it raises to give the parse up).
    """
    out: list[tuple[str, list[str]]] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            out.append(("lines", current.copy()))
            current.clear()

    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if check is not None and i % _CHECK_LINES == _CHECK_LINES - 1:
            check()
        line = lines[i].rstrip()
        if not line:
            flush()
        elif line[0] not in _MARK_START:  # most lines: no underline, rule or separator to look for
            current.append(line.expandtabs(8) if "\t" in line else line)
        elif _FORTUNE_SEPARATOR.match(line):
            flush()
            out.append(("rule", []))
        elif _UNDERLINE.match(line) and current and _is_rst_title(current[-1], line):
            title = current.pop()
            if current and _UNDERLINE.match(current[-1]) and current[-1][0] == line[0]:
                current.pop()  # an overline above the title
            flush()
            out.append(("rst", [title.strip(), line.strip()[0]]))
        elif _UNDERLINE.match(line) and not current and i + 2 < len(lines) and _is_rst_title(
            lines[i + 1], lines[i + 2].rstrip()
        ):
            pass  # an overline: the title and its underline follow
        else:
            current.append(line.expandtabs(8))
        i += 1
    flush()
    return out


def _is_rst_title(title: str, underline: str) -> bool:
    stripped = title.strip()
    return (
        0 < len(stripped) <= _MAX_TITLE
        and not _UNDERLINE.match(title)
        and len(underline.strip()) >= len(stripped) * 0.8
    )


def _drop_trailing_navigation(paragraphs: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    end = len(paragraphs)
    while end > 1:
        kind, lines = paragraphs[end - 1]
        if kind == "lines" and len(lines) == 1 and _NAVIGATION.match(lines[0].strip()):
            end -= 1
        elif kind == "rule":
            end -= 1
        else:
            break
    return paragraphs[:end]


def _take_title(
    paragraphs: list[tuple[str, list[str]]], builder: DocumentBuilder
) -> list[tuple[str, list[str]]]:
    """Set the title (and a second-line byline); return the paragraphs after it."""
    for index, (kind, lines) in enumerate(paragraphs[:3]):
        if kind == "rst" and all(k != "lines" or _RST_COMMENT.match(l[0]) for k, l in paragraphs[:index]):
            builder.title = lines[0]
            return paragraphs[index + 1 :]
    fields = _title_fields(paragraphs)
    if fields is not None:  # "Title:" and "Author:" lines at the top (a Project Gutenberg book)
        builder.title, builder.source = fields
        return paragraphs
    kind, lines = paragraphs[0]
    if kind != "lines":
        builder.title = title_from_name(builder.path)
        return paragraphs
    first = lines[0].strip()
    if len(first) > _MAX_TITLE:
        builder.title = _shorten(first)
        return paragraphs
    if len(lines) > 2 or (len(lines) == 2 and (len(first) > 120 or lines[1].strip()[:1].islower())):
        # the text starts with a paragraph, not a title line: keep it whole
        builder.title = title_from_name(builder.path)
        return paragraphs
    builder.title = first
    rest = lines[1:]
    second = rest[0].strip() if len(rest) == 1 else ""
    if second and len(second) <= 120 and not _SOURCE.match(second) and not _NOT_A_SOURCE.match(second):
        builder.source = second  # e.g. "Ian Lang (Con), House of Commons, 1989-01-11"; a date goes to date
        rest = []
    remaining = paragraphs[1:]
    if rest:
        remaining = [("lines", rest), *remaining]
    return remaining


def _title_fields(paragraphs: list[tuple[str, list[str]]]) -> tuple[str, str] | None:
    """The title (and author) from ``Title:`` (``Author:``) lines near the top, if any."""
    title = author = ""
    for kind, lines in paragraphs[:_HEAD_PARAGRAPHS]:
        if kind != "lines":
            continue
        for line in lines:
            found = _TITLE_FIELD.match(line.strip())
            if found and not title:
                title = found.group(1).strip()
            found = _AUTHOR_FIELD.match(line.strip())
            if found and not author:
                author = found.group(1).strip()
    return (title, author) if title else None


def title_from_name(path: Path) -> str:
    """A title made from a file name: ``lincoln-gettysburg-address.txt`` → "Lincoln Gettysburg Address"."""
    words = " ".join(re.split(r"[-_\s]+", path.stem)).strip()
    if not words:
        return path.name
    return words.title() if words.islower() else words


def _take_byline(
    body: list[tuple[str, list[str]]], builder: DocumentBuilder
) -> list[tuple[str, list[str]]]:
    """Find Source:/Published: in the head; drop them and repeated leads."""
    head = body[:_HEAD_PARAGRAPHS]
    sources: list[tuple[int, str]] = []
    drop: set[int] = set()
    for index, (kind, lines) in enumerate(head):
        if kind != "lines":
            continue
        joined = " ".join(line.strip() for line in lines)
        source = _SOURCE.match(joined)
        if source and not any(_PUBLISHED.match(line.strip()) for line in lines):
            sources.append((index, source.group(1).strip()))
            drop.add(index)
            continue
        rest = []
        for line in lines:
            published = _PUBLISHED.match(line.strip())
            single_source = _SOURCE.match(line.strip())
            if published:
                builder.date = published.group(1).strip()
            elif single_source:
                sources.append((index, single_source.group(1).strip()))
            else:
                rest.append(line)
        if len(rest) < len(lines):
            if rest:
                body[index] = ("lines", rest)
            else:
                drop.add(index)
    if sources:
        shortest = min((value for _, value in sources), key=len)
        builder.source = shortest.rstrip(" .")
        for index, value in sources:
            lead = value[len(shortest) :].lstrip(" .") if value.startswith(shortest) else ""
            if lead and not _repeated_later(lead, body, index):
                body[index] = ("lines", [lead])
                drop.discard(index)
    kept = [p for i, p in enumerate(body) if i not in drop]
    return _drop_repeated_leads(kept)


def _settle_source(builder: DocumentBuilder) -> None:
    """A source is a publication or an author: a date goes to ``date``, a URL gives its host
    (a saved page's source), and a directive or a dedication ("-- to my parents") is none."""
    source = builder.source
    if _URL.match(source):
        host = _URL.match(re.sub(r"\s+", "", source))
        source = host.group(1).lower().removeprefix("www.") if host else ""
    elif is_date(source):
        builder.date = builder.date or source
        source = ""
    elif _NOT_A_SOURCE.match(source):
        source = ""
    builder.source = source
    if not builder.date:
        builder.date = iso_date_in(source)
    builder.sort_date = iso_date(builder.date) or iso_date_in(builder.date)


def _repeated_later(text: str, body: list[tuple[str, list[str]]], after: int) -> bool:
    key = _normal(text)
    for kind, lines in body[after + 1 : after + 1 + _HEAD_PARAGRAPHS]:
        if kind == "lines" and _normal(" ".join(lines)).startswith(key):
            return True
    return False


def _drop_repeated_leads(body: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    """A head paragraph that a later head paragraph repeats or extends is shown once."""
    out = []
    for index, (kind, lines) in enumerate(body):
        if index < _HEAD_PARAGRAPHS and kind == "lines":
            key = _normal(" ".join(lines))
            if len(key) >= 40 and any(
                k == "lines" and _normal(" ".join(l)).startswith(key)
                for k, l in body[index + 1 : index + _HEAD_PARAGRAPHS]
            ):
                continue
        out.append((kind, lines))
    return out


def _add_paragraph(
    lines: list[str], following: tuple[str, list[str]] | None, builder: DocumentBuilder
) -> None:
    if len(lines) == 1:
        line = lines[0].strip()
        if _is_heading(line, following):
            builder.add(BlockKind.HEADING, line, level=2)
            return
        item = _LIST_ITEM.match(lines[0])
        if item:
            builder.add(BlockKind.LIST_ITEM, item.group(3), marker=_bullet(item.group(2)))
            return
        _add_prose(line, builder)
        return
    if all(_LIST_ITEM.match(line) or line.startswith(" ") for line in lines) and _LIST_ITEM.match(lines[0]):
        _add_list(lines, builder)
        return
    if _is_prose(lines):
        _add_prose(" ".join(line.strip() for line in lines), builder)
        return
    indented = _indented_paragraphs(lines)
    if indented is not None:
        for part in indented:
            _add_prose(" ".join(line.strip() for line in part), builder)
        return
    builder.add(BlockKind.PRE, "\n".join(lines))


def _indented_paragraphs(lines: list[str]) -> list[list[str]] | None:
    """Paragraphs marked by an indented first line, not by blank lines (an old e-text's
    way), or None when the lines are not written so.

    Each paragraph starts with a line indented by 2–8 spaces, followed by lines at the
    left margin; together they must read as prose.
    """
    if _FIRST_LINE_INDENT.match(lines[0]) is None:
        return None
    parts: list[list[str]] = []
    for line in lines:
        if _FIRST_LINE_INDENT.match(line):
            parts.append([line])
        elif line[:1].isspace():
            return None  # indented otherwise: verse, code, a table
        elif not (line[:1].isalpha() or line[:1] in "\"'“‘(«¿¡"):
            return None  # at the margin, not words: a numbered entry, a heading (** News), a rule
        elif parts[-1][-1].rstrip().endswith(":"):
            return None  # an example after "like this:", not the sentence going on
        else:
            parts[-1].append(line)
    if len(parts) < 2 or len(parts[0]) < 2 or sum(len(part) > 1 for part in parts) * 2 < len(parts):
        return None  # mostly one-line paragraphs: a list or verse, kept as it is
    if not _is_prose([line.strip() for line in lines]):
        return None
    return parts


def _add_prose(text: str, builder: DocumentBuilder) -> None:
    speaker = _SPEAKER.match(text)
    marks: tuple[Mark, ...] = ()
    if speaker and speaker.group(1).casefold() not in _META_LABELS:
        marks = (Mark(0, len(speaker.group(1)) + 1, "label"),)
    builder.add(BlockKind.PARAGRAPH, " ".join(text.split()), marks=marks)


def _add_list(lines: list[str], builder: DocumentBuilder) -> None:
    items: list[tuple[str, int, list[str]]] = []
    for line in lines:
        item = _LIST_ITEM.match(line)
        if item:
            items.append((_bullet(item.group(2)), len(item.group(1)) // 2, [item.group(3)]))
        elif items:
            items[-1][2].append(line.strip())
    for marker, depth, parts in items:
        builder.add(BlockKind.LIST_ITEM, " ".join(parts), marker=marker, level=depth)


def _bullet(marker: str) -> str:
    return "•" if marker in "-*+•" else marker


def _is_prose(lines: list[str]) -> bool:
    """Hard-wrapped prose: left-aligned lines of similar, sentence-like length."""
    if any(line.startswith((" ", "\t")) for line in lines[1:]):
        return False
    lengths = sorted(len(line) for line in lines[:-1])
    median = lengths[len(lengths) // 2] if lengths else len(lines[0])
    if median < 40:
        return False
    joined = "".join(lines)
    if joined.isascii():
        others = len(joined.translate(_LETTERS_AND_SPACE))
    else:
        others = len(_NOT_LETTER.findall(joined))
    return others / max(len(joined), 1) < 0.25


def _is_heading(line: str, following: tuple[str, list[str]] | None) -> bool:
    if following is None or following[0] != "lines" or len(line) > _MAX_QUESTION:
        return False
    if _SPEAKER.match(line) and not line.startswith(("Q:", "Q.")):
        return False
    if re.match(r"^Q[:.]\s", line) and line.endswith("?"):
        return True
    if line.endswith("?"):
        next_line = following[1][0]
        speaker = _SPEAKER.match(next_line)
        return bool(speaker) and speaker.group(1).casefold() not in _META_LABELS
    if len(line) > _MAX_HEADING or line[-1] in ".,;:!" or ". " in line:
        return False
    return _is_title_case(line)


def _is_title_case(line: str) -> bool:
    words = [w for w in _WORD.findall(line) if w.casefold() not in _SMALL_WORDS]
    if len(words) < 2:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised / len(words) >= 0.8


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def _shorten(text: str, limit: int = 80) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 20 else limit].rstrip(" ,;:") + "…"
