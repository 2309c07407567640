"""Links back to a document and to a passage in it: ``file://`` URIs and text fragments.

A passage link is the file's URI with a browser text fragment built from the
note's quote selector (``#:~:text=[prefix-,]start[,end][,-suffix]``): each part
percent-encoded, ``-``, ``,`` and ``&`` included, and cut to whole words, since
browsers match text fragments on word boundaries.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import quote

from reader.core.notes import CONTEXT, Target

__all__ = ["file_uri", "passage_link", "text_fragment"]

_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")
_EDGE_WORDS = 4  # words from each end of a long quote (textStart, textEnd)


def file_uri(path: str) -> str:
    """``file://`` URI of a path, percent-encoded (spaces, brackets, non-ASCII)."""
    if _WINDOWS_DRIVE.match(path) or path.startswith("\\\\"):
        try:
            return PureWindowsPath(path).as_uri()
        except ValueError:  # "\\x": a share without a name, only in a hand-edited file
            pass
    if path.startswith("/"):
        return PurePosixPath(path).as_uri()
    return "file:" + quote(path.replace("\\", "/"), safe="/")


def passage_link(path: str, target: Target) -> str:
    """The file's URI pointing at the quoted passage (where text fragments are supported)."""
    fragment = text_fragment(target)
    return f"{file_uri(path)}#:~:text={fragment}" if fragment else file_uri(path)


def text_fragment(target: Target) -> str:
    """The ``text=`` directive's value for a target, or ``""`` when the quote has no words."""
    words = target.exact.split()
    if not words:
        return ""
    if len(words) > 2 * _EDGE_WORDS:
        parts = [" ".join(words[:_EDGE_WORDS]), " ".join(words[-_EDGE_WORDS:])]
    else:
        parts = [" ".join(words)]
    encoded = [_encode(part) for part in parts]
    prefix = _whole_words(target.prefix, keep="end")
    suffix = _whole_words(target.suffix, keep="start")
    if prefix:
        encoded.insert(0, _encode(prefix) + "-")
    if suffix:
        encoded.append("-" + _encode(suffix))
    return ",".join(encoded)


def _whole_words(context: str, *, keep: str) -> str:
    """The context next to the quote, within its line, without a word cut in half."""
    if keep == "end":
        line = context.rsplit("\n", 1)[-1]
        words = line.split()
        cut = len(context) >= CONTEXT and "\n" not in context and not line[:1].isspace()
        return " ".join(words[1:] if cut else words)
    line = context.split("\n", 1)[0]
    words = line.split()
    cut = len(context) >= CONTEXT and "\n" not in context and not line[-1:].isspace()
    return " ".join(words[:-1] if cut else words)


def _encode(part: str) -> str:
    return quote(part, safe="").replace("-", "%2D")
