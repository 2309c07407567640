"""What every export reader needs: rows of a CSV with their numbers, times, tags, addresses, JSON."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

from reader.core.imports import MAX_ARTICLES, BadImport
from reader.core.urls import BadUrl, check_url

__all__ = ["text_of", "csv_rows", "linked_rows", "utc_time", "clean_tags", "checked_url", "load_json", "flag", "Problems"]

MAX_FIELD = 16 * 1024 * 1024  # one CSV field (an article's text in a CSV is rare; a field larger is refused)
MAX_TAG = 100
MAX_TAGS = 200
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")
_EARLIEST = datetime(1990, 1, 1, tzinfo=timezone.utc).timestamp()
_LATEST = datetime(2200, 1, 1, tzinfo=timezone.utc).timestamp()


class Problems(list[str]):
    """One line per row that did not read: "FILE: WHERE: why"."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def add(self, where: str, why: str) -> None:
        self.append(f"{self.name}: {where}: {why}")


def text_of(data: bytes, name: str) -> str:
    """An export's bytes as text: UTF-8 (a BOM dropped); BadImport naming the byte otherwise."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        try:
            return data.decode("cp1252")  # old Windows exports: every byte but five decodes
        except UnicodeDecodeError:
            raise BadImport(f"{name}: not UTF-8 text (byte {error.start})") from None


def csv_rows(text: str, name: str) -> tuple[list[str], Iterator[tuple[int, dict[str, str] | str]]]:
    """The header (lower-cased) and each row as ``(line, {column: value})``, or ``(line, why)``.

    A row with more fields than the header, or a field over the size limit, is a reason, not a
    crash; the rows after it still read."""
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    try:
        header = [column.strip().lower() for column in next(reader)]
    except StopIteration:
        raise BadImport(f"{name}: empty: no header row") from None
    except csv.Error as error:
        raise BadImport(f"{name}: line 1: not CSV ({error})") from None

    def rows() -> Iterator[tuple[int, dict[str, str] | str]]:
        count = 0
        while True:
            line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                yield line, f"not CSV ({error})"
                continue
            if not row or not any(field.strip() for field in row):
                continue
            count += 1
            if count > MAX_ARTICLES:
                yield line, f"more than {MAX_ARTICLES} rows: the rest is not read"
                return
            if len(row) > len(header):
                yield line, f"{len(row)} fields where the header names {len(header)}"
                continue
            yield line, dict(zip(header, (field.strip() for field in row), strict=False))

    return header, rows()


def linked_rows(
    rows: Iterator[tuple[int, dict[str, str] | str]], problems: Problems
) -> Iterator[tuple[int, dict[str, str], str]]:
    """The rows of ``csv_rows`` that read and name an http(s) address in their ``url``
    column, as ``(line, row, address)``; each other row is one line in ``problems``."""
    for line, row in rows:
        if isinstance(row, str):
            problems.add(f"row {line}", row)
            continue
        try:
            url = checked_url(row.get("url"))
        except BadUrl as error:
            problems.add(f"row {line}", str(error))
            continue
        yield line, row, url


def utc_time(value: Any) -> str:
    """A time as the store keeps it (``2026-12-04T09:30:00Z``): Unix seconds (or milliseconds),
    or ISO 8601 and its near forms ("2017-02-14 17:50:31", "+0000"); "" when it is none."""
    if value is None or isinstance(value, bool):
        return ""
    text = str(value).strip()
    if not text:
        return ""
    when: datetime | None = None
    if re.fullmatch(r"\d{1,16}(\.\d+)?", text):
        seconds = float(text)
        if seconds > _LATEST:
            seconds /= 1000  # milliseconds
        if _EARLIEST <= seconds <= _LATEST:
            when = datetime.fromtimestamp(seconds, timezone.utc)
    else:
        text = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", text.replace("Z", "+00:00"))
        try:
            when = datetime.fromisoformat(text)
        except ValueError:
            try:
                from dateutil import parser

                when = parser.parse(text)
            except (ValueError, OverflowError, ImportError):
                return ""
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        try:
            when = when.astimezone(timezone.utc)
        except (OverflowError, ValueError):
            return ""
    if when is None:
        return ""
    return when.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def clean_tags(values: Any) -> tuple[str, ...]:
    """Tags as reader keeps them: text, spaces made single, no control characters, at most
    100 characters, duplicates (by case) once, in order."""
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list | tuple):
        return ()
    kept: list[str] = []
    seen: set[str] = set()
    for value in values:
        if isinstance(value, dict):  # wallabag's API form: {"label": …}
            value = value.get("label")
        if not isinstance(value, str):
            continue
        tag = _CONTROLS.sub("", _SPACES.sub(" ", value)).strip()[:MAX_TAG].strip()
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            kept.append(tag)
        if len(kept) >= MAX_TAGS:
            break
    return tuple(kept)


def checked_url(value: Any) -> str:
    """An http(s) address, or BadUrl with one line."""
    if not isinstance(value, str):
        raise BadUrl("no address")
    return check_url(value)


def flag(value: Any) -> bool:
    """A yes/no of an export: true, 1, "1", "true", "yes"."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    return isinstance(value, str) and value.strip().lower() in ("1", "true", "yes", "y")


def load_json(text: str, name: str) -> Any:
    """JSON, or BadImport in one line (deep nesting and giant numbers included)."""
    try:
        return json.loads(text, parse_constant=_no_constant)
    except BadImport:
        raise
    except json.JSONDecodeError as error:
        raise BadImport(f"{name}: not JSON: {error.msg} at line {error.lineno}, column {error.colno}") from None
    except RecursionError:
        raise BadImport(f"{name}: not JSON we read: nested too deeply") from None
    except ValueError as error:
        raise BadImport(f"{name}: not JSON we read: {str(error).splitlines()[0][:200]}") from None


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")
