"""A document's date as written (``2017-03-20``, ``Tue, 7 Oct 2014 07:26:38 -0400``,
``March 20, 2017``, ``Published: 20 March 2017``) → a real date, to sort by.

ISO dates are read here; RFC 2822 by the standard library; the rest by dateutil's
parser, which is given no year to fall back on: a text without one (a name, "12
comments") is no date.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache

__all__ = ["parse_date"]

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?![\d])")
_LABEL = re.compile(
    r"^(?:published|updated|last\s+updated|posted|modified|last\s+modified|date|dated|created)"
    r"(?:\s+(?:on|at))?\s*[:\-–—]?\s*",
    re.IGNORECASE,
)
_NO_YEAR = datetime(1, 1, 1)
_YEARS = range(1000, 2200)  # beyond these, a number read as a year was something else


@lru_cache(maxsize=65536)
def parse_date(text: str) -> date | None:
    """The date ``text`` names, or None when it names none (or no year)."""
    text = " ".join(text.split())
    if not text:
        return None
    text = _LABEL.sub("", text)
    iso = _ISO.match(text)
    if iso:
        try:
            return _plausible(date(int(iso[1]), int(iso[2]), int(iso[3])))
        except ValueError:
            pass
    try:
        return _plausible(parsedate_to_datetime(text).date())  # RFC 2822, as in mail and feeds
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    from dateutil import parser

    try:
        parsed = parser.parse(text, default=_NO_YEAR, fuzzy=True)
    except (ValueError, OverflowError, TypeError):  # (dateutil's ParserError is a ValueError)
        return None
    return _plausible(parsed.date())


def _plausible(day: date) -> date | None:
    return day if day.year in _YEARS else None
