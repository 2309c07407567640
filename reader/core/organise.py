"""What the reader keeps about a whole document: its tags, reading state and star.

Plain data, no YAML: the store keeps these at the top of the document's shard
(``tags``, ``state``, ``favourite``, ``added``) and ``reader.storage.doc_meta``
keeps a copy of every document's values for the list and the search filter.

- ``tags``: free text, matched without regard to case, in the order given; ``a/b``
  is a nested tag (``tag:a`` finds it too).
- ``state``: ``inbox`` (a new document), ``later`` or ``archive``.
- ``favourite``: a flag, independent of the state.
- ``added``: when the document was first seen (ISO 8601, UTC).
- ``opened``: a reading position is kept (the document was opened): "read".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

__all__ = [
    "STATES",
    "MAX_TAG",
    "BadValue",
    "DocMeta",
    "Change",
    "clean_tag",
    "clean_tags",
    "check_state",
    "tag_matches",
    "with_tags",
    "without_tags",
]

STATES = ("inbox", "later", "archive")
MAX_TAG = 100  # characters
_SPACES = re.compile(r"\s+")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class BadValue(ValueError):
    """A tag or state that cannot be kept; the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class DocMeta:
    """A document's tags, state, star, first-seen time and whether it was opened."""

    tags: tuple[str, ...] = ()
    state: str = "inbox"
    favourite: bool = False
    added: str = ""
    opened: bool = False

    def has_tag(self, wanted: str) -> bool:
        return any(tag_matches(tag, wanted) for tag in self.tags)

    def to_json(self) -> dict[str, object]:
        return {"tags": list(self.tags), "state": self.state, "favourite": self.favourite, "added": self.added}


DEFAULT = DocMeta()


@dataclass(frozen=True, slots=True)
class Change:
    """One change to a document's tags, state or star (applied to what is stored at the time)."""

    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    state: str | None = None
    favourite: bool | None = None

    def apply(self, meta: DocMeta) -> DocMeta:
        tags = without_tags(with_tags(meta.tags, self.add), self.remove)
        state = meta.state if self.state is None else self.state
        favourite = meta.favourite if self.favourite is None else self.favourite
        return replace(meta, tags=tags, state=state, favourite=favourite)

    def touches(self) -> frozenset[str]:
        """The shard keys this change writes."""
        keys = set()
        if self.add or self.remove:
            keys.add("tags")
        if self.state is not None:
            keys.add("state")
        if self.favourite is not None:
            keys.add("favourite")
        return frozenset(keys)


def clean_tag(text: str) -> str:
    """``text`` as a tag (spaces trimmed and runs of them made one); BadValue when it cannot be one."""
    if not isinstance(text, str):
        raise BadValue(f"a tag must be text, found {type(text).__name__}")
    tag = _SPACES.sub(" ", text).strip()
    if not tag:
        raise BadValue("a tag cannot be empty or only spaces")
    if _CONTROLS.search(tag):
        raise BadValue(f"tag {tag!r} has control characters")
    if len(tag) > MAX_TAG:
        raise BadValue(f"tag {tag[:20]!r}… is {len(tag)} characters long; at most {MAX_TAG}")
    return tag


def clean_tags(values: Iterable[str]) -> tuple[str, ...]:
    """Each value cleaned, duplicates (by case) dropped, order kept."""
    return with_tags((), [clean_tag(value) for value in values])


def check_state(text: str) -> str:
    """``text`` as a state; BadValue listing the valid ones when it is none of them."""
    state = text.strip().casefold() if isinstance(text, str) else text
    if state not in STATES:
        raise BadValue(f"unknown state {text!r}: use {', '.join(STATES)}")
    return str(state)


def tag_matches(tag: str, wanted: str) -> bool:
    """``tag`` is ``wanted`` (any case) or nested under it (``a/b`` under ``a``)."""
    tag, wanted = tag.casefold(), wanted.casefold().rstrip("/")
    return tag == wanted or tag.startswith(wanted + "/")


def with_tags(tags: Iterable[str], new: Iterable[str]) -> tuple[str, ...]:
    kept = list(tags)
    known = {tag.casefold() for tag in kept}
    for tag in new:
        if tag.casefold() not in known:
            known.add(tag.casefold())
            kept.append(tag)
    return tuple(kept)


def without_tags(tags: Iterable[str], gone: Iterable[str]) -> tuple[str, ...]:
    dropped = {tag.casefold() for tag in gone}
    return tuple(tag for tag in tags if tag.casefold() not in dropped)
