"""Documents' dates as written → real dates (reader.core.dates), for sorting by date."""

from __future__ import annotations

from datetime import date

import pytest

from reader.core.dates import parse_date


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("2014-05-03", date(2014, 5, 3)),
        ("2014-05-03T10:00:00Z", date(2014, 5, 3)),
        ("1999-07-30 21:36:24", date(1999, 7, 30)),
        ("Tue, 07 Oct 2014 07:26:38 -0400", date(2014, 10, 7)),  # RFC 2822
        ("Tue Oct 7 07:26:38 2014 -0400", date(2014, 10, 7)),
        ("Fri Feb 24 13:40:45 1995", date(1995, 2, 24)),
        ("March 20, 2017", date(2017, 3, 20)),
        ("Published: March 20, 2017", date(2017, 3, 20)),
        ("Updated on 3 May 2019", date(2019, 5, 3)),
        ("07 September 2012", date(2012, 9, 7)),
        ("Dec 14, 1996", date(1996, 12, 14)),
        ("2004-Nov-26", date(2004, 11, 26)),
        ("11/18/2008", date(2008, 11, 18)),
        ("May 2015", date(2015, 5, 1)),
    ],
)
def test_dates_as_written_are_read(written: str, meant: date) -> None:
    assert parse_date(written) == meant


@pytest.mark.parametrize("written", ["", "  ", "Roger Lucas", "12 comments", "Monday", "2015-13-45x", "99999"])
def test_a_text_without_a_date_or_a_year_is_no_date(written: str) -> None:
    assert parse_date(written) is None
