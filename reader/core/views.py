"""The list pane's views: Inbox, Later, Archive, Favourites, each tag, and All.

A view is named by a key kept in the app's state file: ``all``, ``inbox``,
``later``, ``archive``, ``favourites``, or ``tag:NAME`` (a tag, any case; a nested
``NAME/sub`` is in it too). Plain data over ``DocMeta``; the app counts and filters.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from reader.core.organise import DocMeta

__all__ = ["View", "FIXED", "in_view", "view_label", "check_view", "views_with_counts"]

FIXED = ("all", "inbox", "later", "archive", "favourites")
_LABELS = {"all": "All", "inbox": "Inbox", "later": "Later", "archive": "Archive", "favourites": "Favourites"}
_TAG = "tag:"


@dataclass(frozen=True, slots=True)
class View:
    key: str
    label: str
    count: int


def in_view(key: str, meta: DocMeta) -> bool:
    """Whether a document with ``meta`` is shown in the view ``key``."""
    if key == "all":
        return True
    if key == "favourites":
        return meta.favourite
    if key.startswith(_TAG):
        return meta.has_tag(key[len(_TAG) :])
    return meta.state == key


def view_label(key: str) -> str:
    """``Inbox``; a tag's view: ``#policy``."""
    if key.startswith(_TAG):
        return "#" + key[len(_TAG) :]
    return _LABELS.get(key, key)


def check_view(key: object) -> str | None:
    """``key`` when it names a view (as the state file keeps it), else None."""
    if not isinstance(key, str):
        return None
    if key in FIXED or (key.startswith(_TAG) and key[len(_TAG) :].strip()):
        return key
    return None


def views_with_counts(metas: Iterable[DocMeta]) -> list[View]:
    """The fixed views, then one per tag in use (by name, any case), each with its documents."""
    metas = list(metas)
    views = [View(key, _LABELS[key], sum(1 for meta in metas if in_view(key, meta))) for key in FIXED]
    names: dict[str, str] = {}
    for meta in metas:
        for tag in meta.tags:
            names.setdefault(tag.casefold(), tag)
    for _folded, tag in sorted(names.items()):
        key = _TAG + tag
        views.append(View(key, view_label(key), sum(1 for meta in metas if meta.has_tag(tag))))
    return views
