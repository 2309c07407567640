"""File names that are not UTF-8: carried losslessly, shown with the bad bytes replaced.

Python reads a file name's bytes that are not UTF-8 as lone surrogates
(``b"x\\xff"`` → ``"x\\udcff"``, ``os.fsdecode``), and gives the same bytes back
(``os.fsencode``): the path opens. But such a string cannot be encoded as UTF-8,
so everything that stores or shows it must say how: SQLite and Whoosh store
text as UTF-8, a terminal shows UTF-8. Paths stay as Python has them; these
functions are the ways out (what is shown goes through :mod:`reader.core.visible`).
"""

from __future__ import annotations

import re

__all__ = ["name_bytes", "from_bytes", "replace_bad_bytes", "term_text", "has_surrogates"]

_SURROGATE = re.compile("[\ud800-\udfff]")


def has_surrogates(text: str) -> bool:
    """Whether ``text`` holds characters that cannot be encoded as UTF-8 (bytes of a file name)."""
    if text.isascii():
        return False
    return _SURROGATE.search(text) is not None


def name_bytes(text: str) -> bytes:
    """A file name's bytes, as ``os.fsencode`` gives them, for any string (never raises)."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that is not an escaped byte (not from a file name)
        return text.encode("utf-8", "surrogatepass")


def from_bytes(data: bytes) -> str:
    """The string for a file name's bytes (``os.fsdecode``): the inverse of :func:`name_bytes`."""
    return data.decode("utf-8", "surrogateescape")


def replace_bad_bytes(text: str) -> str:
    """``text`` as UTF-8 can hold it (a title made from a file name): each byte that is not UTF-8 replaced by U+FFFD."""
    if not has_surrogates(text):
        return text
    return _SURROGATE.sub("\ufffd", text)


def term_text(text: str) -> str:
    """``text`` as valid UTF-8 for a search term: each byte that is not UTF-8 written ``\\xff``.

    Text that is UTF-8 already is unchanged (terms indexed before stay valid); two names
    differing only in such bytes stay different terms.
    """
    if not has_surrogates(text):
        return text
    return name_bytes(text).decode("utf-8", "backslashreplace")
