"""Finding a note's passage again in a document's text.

``find_quote`` locates a quote typed by a user (the command line's ``--quote``).
"""

from __future__ import annotations

__all__ = ["find_quote"]


def find_quote(text: str, quote: str, near: int = 0) -> tuple[int, int] | None:
    """``(start, end)`` of ``quote`` in ``text``, the occurrence nearest ``near``; None if absent."""
    quote = quote.strip()
    if not quote:
        return None
    best: int | None = None
    at = text.find(quote)
    while at != -1:
        if best is None or abs(at - near) < abs(best - near):
            best = at
        at = text.find(quote, at + 1)
    return None if best is None else (best, best + len(quote))
