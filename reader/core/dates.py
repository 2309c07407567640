"""Dates as documents write them.

Strict, for telling what a line is: ``iso_date(text)`` reads a line that is a date and
nothing more — ISO 8601 (``2017-03-20``, ``2017-03-20T10:00:00Z``), RFC 2822 and
``git log`` / ``ctime`` dates (``Tue, 07 Oct 2014 07:26:38 -0400``, ``Tue Oct 7
07:26:38 2014 -0400``), written dates in English (``March 20, 2017``, ``20 March 2017``,
``Mar 20 2017``), with a ``Published:``-like label before them — to a ``YYYY-MM-DD``
string that sorts, else ``""``; ``is_date(text)`` says whether a line is one (a byline
that is only a date is no source); ``iso_date_in(text)`` finds an ISO date inside a line.

Lenient, for sorting by a date string already known to be one: ``parse_date(text)``
tries the strict forms, then RFC 2822 by the standard library, then dateutil's parser
given no year to fall back on (a text without one, "12 comments", is no date).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache

__all__ = ["is_date", "iso_date", "iso_date_in", "parse_date"]

_MONTHS = {
    name: number
    for number, names in enumerate(
        ("jan january", "feb february", "mar march", "apr april", "may", "jun june", "jul july",
         "aug august", "sep sept september", "oct october", "nov november", "dec december"),
        start=1,
    )
    for name in names.split()
}
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY_NAME = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_TIME = r"(?:,?\s+(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?)?"
_ZONE = r"(?:\s+(?:[+-]\d{4}|[a-z]{1,5}))?"
_LABEL = r"^\s*(?:(?:published|posted|updated|date|dated|on)\s*:?\s+)?"
_ISO = re.compile(_LABEL + r"(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\s*$", re.I)
_ISO_ANYWHERE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# "March 20, 2017", "Tue Oct 7 07:26:38 2014 -0400" (the year after the time)
_MONTH_FIRST = re.compile(
    _LABEL + _DAY_NAME + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?" + _TIME + r"(?:\s+(\d{4}))?" + _ZONE + r"\s*$",
    re.I,
)
# "20 March 2017", "Tue, 07 Oct 2014 07:26:38 -0400"
_DAY_FIRST = re.compile(
    _LABEL + _DAY_NAME + r"(\d{1,2})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?" + _MONTH + r",?\s+(\d{4})" + _TIME + _ZONE + r"\s*$",
    re.I,
)


def iso_date(text: str) -> str:
    """``YYYY-MM-DD`` for a line that is a date (see the module), else ``""``."""
    text = text.strip()
    if not text or len(text) > 80:
        return ""
    found = _ISO.match(text)
    if found:
        return _make(found.group(1), found.group(2), found.group(3))
    found = _MONTH_FIRST.match(text)
    if found:
        month, day, year, late_year = found.groups()
        return _make(year or late_year or "", _MONTHS.get(month.lower().rstrip("."), 0), day)
    found = _DAY_FIRST.match(text)
    if found:
        day, month, year = found.groups()
        return _make(year, _MONTHS.get(month.lower().rstrip("."), 0), day)
    return ""


def iso_date_in(text: str) -> str:
    """The first ISO date anywhere in ``text`` (``"House of Commons, 1989-01-11"``), else ``""``."""
    found = _ISO_ANYWHERE.search(text)
    return _make(*found.groups()) if found else ""


def is_date(text: str) -> bool:
    return bool(iso_date(text))


def _make(year: str | int, month: str | int, day: str | int) -> str:
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except (TypeError, ValueError):
        return ""


_LOOSE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?![\d])")
_LOOSE_LABEL = re.compile(
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
    strict = iso_date(text)
    if strict:
        return _plausible(date.fromisoformat(strict))
    text = _LOOSE_LABEL.sub("", text)
    iso = _LOOSE_ISO.match(text)
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
