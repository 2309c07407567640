"""A PDF page's text runs into lines in reading order, and lines into paragraphs.

Plain geometry, no PDF library: a run is a rectangle of text with its font size
(``Run``), as pdfium reports them.

- columns: a vertical gutter that no run of column width crosses, in the middle
  of the page, with text either side; runs wider than a column (a title, a running
  header) split the page into bands, each read left column then right;
- lines: runs whose vertical middles fall within each other's height, left to right,
  a space where the gap asks for one;
- paragraphs: a new one where the line pitch opens up, the font size changes, the
  line is indented after a flush one, a list marker starts it, or the line before
  ended a sentence well short of the margin; lines are joined with a space, a word
  hyphenated across the break is joined whole;
- code: lines set in a monospace font (``Run.mono``) make paragraphs of their own,
  kept line by line with their indentation (:attr:`Paragraph.code`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Line", "Paragraph", "Run", "lines_of", "paragraphs_of", "join_lines"]

_GUTTER_MIN = 8.0  # points
_BULLET = re.compile(r"^(?:[•◦▪‣∙·*–—-]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s")
_SENTENCE_END = ("." , "!", "?", ":", ";", "”", '"', ")")
_SOFT_HYPHENS = ("\xad", "\x02", "\ufffe")


@dataclass(slots=True)
class Run:
    left: float
    bottom: float
    right: float
    top: float
    text: str
    size: float
    mono: bool = False  # set in a monospace font


@dataclass(slots=True)
class Line:
    left: float
    bottom: float
    right: float
    top: float
    text: str
    size: float
    column: tuple[float, float] = (0.0, 0.0)  # the left and right edges of its column
    mono: bool = False  # (nearly) all of it in a monospace font: a line of code
    indent: int = 0  # spaces set before its text (a line of code's own indentation)


@dataclass(slots=True)
class Paragraph:
    lines: list[Line] = field(default_factory=list)

    @property
    def size(self) -> float:
        return max(line.size for line in self.lines)

    @property
    def text(self) -> str:
        return join_lines([line.text for line in self.lines])

    @property
    def mono(self) -> bool:
        return all(line.mono for line in self.lines)

    @property
    def code(self) -> str:
        """The lines as they are set, one a line, indented as far as they are (a monospace
        character is about 0.6 of the font size wide)."""
        left = min(line.left for line in self.lines)
        out = []
        for line in self.lines:
            indent = round((line.left - left) / max(0.6 * line.size, 1.0))
            out.append(" " * min(indent + line.indent, 40) + line.text)
        return "\n".join(out)


def lines_of(runs: list[Run], width: float) -> list[Line]:
    """The page's lines in reading order (columns read one after the other)."""
    runs = [run for run in runs if run.text.strip()]
    if not runs:
        return []
    gutter = _gutter(runs, width)
    if gutter is None:
        return _lines(runs, (min(r.left for r in runs), max(r.right for r in runs)))
    start, end = gutter
    wide = sorted((r for r in runs if r.left < start and r.right > end), key=lambda r: -r.top)
    narrow = [r for r in runs if not (r.left < start and r.right > end)]
    left_edge = min(r.left for r in runs)
    right_edge = max(r.right for r in runs)
    out: list[Line] = []
    ceiling = float("inf")
    for band_top in [w.top for w in wide] + [float("-inf")]:
        band = [r for r in narrow if band_top < (r.top + r.bottom) / 2 <= ceiling]
        out += _lines([r for r in band if r.right <= end], (left_edge, start))
        out += _lines([r for r in band if r.right > end], (end, right_edge))
        across = [w for w in wide if w.top == band_top]
        out += _lines(across, (left_edge, right_edge))
        ceiling = band_top
    return out


def _gutter(runs: list[Run], width: float) -> tuple[float, float] | None:
    """The widest vertical gap in the middle of the page that runs of column width leave
    and that few characters cross, with text either side; None for one column."""
    spans = sorted((r.left, r.right) for r in runs if r.right - r.left < width * 0.45)
    if len(spans) < 10:
        return None
    gaps = []
    reach = spans[0][1]
    for left, right in spans[1:]:
        if left - reach >= _GUTTER_MIN:
            gaps.append((reach, left))
        reach = max(reach, right)
    total = sum(len(r.text) for r in runs)
    best = None
    for start, end in gaps:
        middle = (start + end) / 2
        if not width * 0.25 <= middle <= width * 0.75:
            continue
        left = sum(len(r.text) for r in runs if r.right <= start + 1)
        right = sum(len(r.text) for r in runs if r.left >= end - 1)
        if left < total * 0.2 or right < total * 0.2:
            continue
        if total - left - right > total * 0.2:
            continue  # lines cross it: one column with a ragged middle
        if best is None or end - start > best[1] - best[0]:
            best = (start, end)
    return best


def _lines(runs: list[Run], column: tuple[float, float]) -> list[Line]:
    lines: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: -(r.top + r.bottom) / 2):
        middle = (run.top + run.bottom) / 2
        if lines:
            current = lines[-1]
            bottom = min(r.bottom for r in current)
            top = max(r.top for r in current)
            if bottom <= middle <= top or (
                bottom - run.top < 0 and (min(top, run.top) - max(bottom, run.bottom)) >= 0.5 * min(top - bottom, run.top - run.bottom)
            ):
                current.append(run)
                continue
        lines.append([run])
    return [_line(sorted(group, key=lambda r: r.left), column) for group in lines]


def _line(runs: list[Run], column: tuple[float, float]) -> Line:
    parts = [runs[0].text]
    for before, run in zip(runs, runs[1:]):
        gap = run.left - before.right
        if gap > 0.2 * max(run.size, 1.0) and not parts[-1][-1:].isspace() and not run.text[:1].isspace():
            parts.append(" ")
        parts.append(run.text)
    text = " ".join("".join(parts).split())
    main = max(runs, key=lambda r: len(r.text.strip()))
    chars = sum(len(r.text.strip()) for r in runs)
    mono = sum(len(r.text.strip()) for r in runs if r.mono) >= 0.9 * chars > 0
    return Line(
        min(r.left for r in runs), min(r.bottom for r in runs), max(r.right for r in runs),
        max(r.top for r in runs), text, round(main.size, 1), column, mono,
        len(runs[0].text) - len(runs[0].text.lstrip(" ")) if mono else 0,
    )


def paragraphs_of(lines: list[Line]) -> list[Paragraph]:
    """Lines (of one page, in reading order) grouped into paragraphs."""
    pitches = sorted(
        a.top - b.top for a, b in zip(lines, lines[1:])
        if a.column == b.column and abs(a.size - b.size) < 0.5 and 0 < a.top - b.top < 3 * a.size
    )
    pitch = pitches[len(pitches) // 2] if pitches else 0.0
    out: list[Paragraph] = []
    for line in lines:
        if out and not _breaks(out[-1].lines[-1], line, pitch, len(out[-1].lines)):
            out[-1].lines.append(line)
        else:
            out.append(Paragraph([line]))
    return out


def _breaks(before: Line, line: Line, pitch: float, count: int) -> bool:
    if before.column != line.column or abs(before.size - line.size) > max(before.size, line.size) * 0.12:
        return True
    step = before.top - line.top
    if step <= 0 or step > (pitch * 1.3 if pitch else line.size * 1.8):
        return True
    if line.mono and before.mono:
        return False  # lines of code: indentation and short lines are the code's own
    if line.mono != before.mono and (before.text.endswith(_SENTENCE_END) or line.left - before.left > 0.8 * line.size):
        return True  # code after a sentence, or indented: a block of its own (else a name set in it)
    margin = before.column[0]
    if line.left - margin > 0.8 * line.size and before.left - margin < 0.5 * line.size:
        return True  # an indented first line after a flush one
    if _BULLET.match(line.text):
        return True
    return before.text.endswith(_SENTENCE_END) and before.right < before.column[1] - 4 * before.size


def join_lines(texts: list[str]) -> str:
    """Lines of a paragraph as one text: a word hyphenated at a line end joined whole."""
    out = ""
    for text in texts:
        if not out:
            out = text
            continue
        if out.endswith(_SOFT_HYPHENS):
            out = out[:-1] + text
        elif out.endswith("-") and len(out) > 1 and out[-2].isalpha() and text[:1].islower():
            out = out[:-1] + text
        elif out.endswith("-") and len(out) > 1 and not out[-2].isspace():
            out += text  # "2010-" and "12-06": a hyphen that is part of the text
        else:
            out = f"{out} {text}"
    for soft in _SOFT_HYPHENS:
        out = out.replace(soft, "")
    return out
