"""The query fields about a document rather than its text: ``tag:``, ``is:``, ``state:``, ``added:``.

They are taken out of the query before it is parsed for words and become a
:class:`FieldFilter` over each document's :class:`~reader.core.organise.DocMeta`
(the store's values, never the index's: a tag added is found by the next keystroke
without indexing anything again). Each field must hold; ``-field:value`` must not.

- ``tag:policy``, ``tag:"smart city"``: the tag (any case) or one nested under it
  (``tag:economy`` finds ``economy/rates``); while typing, the last one is a prefix.
- ``is:unread`` (never opened), ``is:read``, ``is:archived``, ``is:favourite``
  (``is:starred``), ``is:inbox``, ``is:later``.
- ``state:inbox|later|archive``.
- ``added:2026-10-01`` (that day; ``2026-10`` a month, ``2026`` a year),
  ``added:>2026-10-01`` (also ``>=``, ``<``, ``<=``), ``added:2026-01..2026-03``.

A value these do not know is a message and no filter (it never raises).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from reader.core.organise import STATES, DocMeta, tag_matches

__all__ = ["FieldFilter", "Condition", "split_fields", "FIELDS"]

FIELDS = ("tag", "is", "state", "added")
_FIELD = re.compile(r'(?:(?<=\s)|^)(-?)(tag|is|state|added):(?:"([^"]*)("?)|(\S*))', re.IGNORECASE)
_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_IS = {
    "unread": lambda meta: not meta.opened,
    "read": lambda meta: meta.opened,
    "archived": lambda meta: meta.state == "archive",
    "archive": lambda meta: meta.state == "archive",
    "inbox": lambda meta: meta.state == "inbox",
    "later": lambda meta: meta.state == "later",
    "favourite": lambda meta: meta.favourite,
    "favorite": lambda meta: meta.favourite,
    "starred": lambda meta: meta.favourite,
}
_IS_NAMES = "unread, read, inbox, later, archived, favourite"


@dataclass(frozen=True, slots=True)
class Condition:
    """One field of the query: what it tests, and whether it is excluded."""

    field: str
    value: str
    negated: bool = False
    prefix: bool = False  # a tag being typed: tags starting with it

    def test(self, meta: DocMeta) -> bool:
        return _TESTS[self.field](self, meta) != self.negated


def _tag(condition: Condition, meta: DocMeta) -> bool:
    if condition.prefix:
        wanted = condition.value.casefold()
        return any(tag.casefold().startswith(wanted) for tag in meta.tags)
    return any(tag_matches(tag, condition.value) for tag in meta.tags)


def _added(condition: Condition, meta: DocMeta) -> bool:
    value = condition.value
    if ".." in value:
        low, high = value.split("..", 1)
        return (not low or meta.added[: len(low)] >= low) and (not high or meta.added[: len(high)] <= high)
    for sign in (">=", "<=", ">", "<"):
        if value.startswith(sign):
            bound = value[len(sign) :]
            mine = meta.added[: len(bound)]
            return bool(meta.added) and {
                ">=": mine >= bound,
                "<=": mine <= bound,
                ">": mine > bound,
                "<": mine < bound,
            }[sign]
    return meta.added.startswith(value)


_TESTS: dict[str, Callable[[Condition, DocMeta], bool]] = {
    "tag": _tag,
    "is": lambda condition, meta: _IS[condition.value](meta),
    "state": lambda condition, meta: meta.state == condition.value,
    "added": _added,
}


@dataclass(frozen=True, slots=True)
class FieldFilter:
    """Every field of a query; a document passes when each holds."""

    conditions: tuple[Condition, ...]

    def matches(self, meta: DocMeta) -> bool:
        return all(condition.test(meta) for condition in self.conditions)

    def __bool__(self) -> bool:
        return bool(self.conditions)


def split_fields(text: str, *, typing: bool = False) -> tuple[str, FieldFilter | None, str]:
    """The query without its fields, their filter (None when it has none), and a message for a bad one."""
    if ":" not in text:
        return text, None, ""
    conditions: list[Condition] = []
    messages: list[str] = []
    kept: list[str] = []
    last = 0
    for match in _FIELD.finditer(text):
        negated, name, quoted, closed, bare = match.groups()
        name = name.casefold()
        value = (quoted if quoted is not None else bare or "").strip()
        at_end = match.end() == len(text)
        kept.append(text[last : match.start()])
        last = match.end()
        if not value:
            if not (typing and at_end):
                messages.append(f"{name}: needs a value")
            continue
        condition, problem = _condition(name, value, negated == "-", typing and at_end and not closed)
        if condition is not None:
            conditions.append(condition)
        elif not (typing and at_end):  # (a value still being typed is not wrong yet)
            messages.append(problem)
    if not conditions and not messages and last == 0:
        return text, None, ""
    kept.append(text[last:])
    words = " ".join("".join(kept).split())
    return words, FieldFilter(tuple(conditions)), "; ".join(messages)


def _condition(name: str, value: str, negated: bool, typing: bool) -> tuple[Condition | None, str]:
    if name == "tag":
        return Condition("tag", value, negated, prefix=typing), ""
    if name == "is":
        folded = value.casefold()
        if folded not in _IS:
            return None, f"is:{value} is not known: use is:{_IS_NAMES.replace(', ', ', is:')}"
        return Condition("is", folded, negated), ""
    if name == "state":
        folded = value.casefold()
        folded = "archive" if folded == "archived" else folded
        if folded not in STATES:
            return None, f"state:{value} is not known: use {', '.join(STATES)}"
        return Condition("state", folded, negated), ""
    bounds = value
    for sign in (">=", "<=", ">", "<"):
        if bounds.startswith(sign):
            bounds = bounds[len(sign) :]
            break
    parts = bounds.split("..", 1) if ".." in bounds and bounds == value else [bounds]
    if not all(_DATE.fullmatch(part) for part in parts if part) or not any(parts):
        return None, f"added:{value} is not a date: use added:2026-10-01, added:>2026-10, added:2026-01..2026-03"
    return Condition("added", value, negated), ""
