"""The query fields about documents: tag:, is:, state:, added: (parsed, and tested on values)."""

from __future__ import annotations

from reader.core.organise import DocMeta
from reader.core.search.fields import split_fields

POLICY = DocMeta(("Policy", "smart city", "economy/rates"), "later", True, "2026-10-05T10:00:00Z", True)
PLAIN = DocMeta((), "inbox", False, "2026-09-01T10:00:00Z", False)
OLD = DocMeta(("garden",), "archive", False, "2025-01-01T00:00:00Z", True)


def matching(query: str, typing: bool = False) -> tuple[str, list[str], str]:
    words, fields, message = split_fields(query, typing=typing)
    names = [name for name, meta in (("policy", POLICY), ("plain", PLAIN), ("old", OLD)) if fields is None or fields.matches(meta)]
    return words, names, message


def test_fields_are_taken_out_and_the_words_kept() -> None:
    assert matching('budget tag:policy "a phrase" -cut') == ('budget "a phrase" -cut', ["policy"], "")
    assert matching('tag:"smart city" rates') == ("rates", ["policy"], "")
    assert matching("no fields here") == ("no fields here", ["policy", "plain", "old"], "")
    assert matching("title:budget source:bbc")[0] == "title:budget source:bbc"  # not ours
    assert matching("foo:bar")[1] == ["policy", "plain", "old"]


def test_tags_match_any_case_and_nested_and_exclude() -> None:
    assert matching("tag:POLICY")[1] == ["policy"]
    assert matching("tag:economy")[1] == ["policy"]
    assert matching("tag:econ")[1] == []  # a whole tag, not a prefix…
    assert matching("tag:econ", typing=True)[1] == ["policy"]  # …unless it is being typed
    assert matching("tag:econ budget", typing=True)[1] == []
    assert matching("-tag:garden")[1] == ["policy", "plain"]
    assert matching("tag:garden tag:policy")[1] == []


def test_is_state_and_added() -> None:
    assert matching("is:unread")[1] == ["plain"]
    assert matching("is:read")[1] == ["policy", "old"]
    assert matching("is:archived")[1] == ["old"]
    assert matching("is:favourite")[1] == matching("is:starred")[1] == ["policy"]
    assert matching("state:later")[1] == ["policy"]
    assert matching("state:Inbox")[1] == ["plain"]
    assert matching("-is:archived is:read")[1] == ["policy"]
    assert matching("added:>2026-10-01")[1] == ["policy"]
    assert matching("added:<2026")[1] == ["old"]
    assert matching("added:2026-09")[1] == ["plain"]
    assert matching("added:>=2026-09-01")[1] == ["policy", "plain"]
    assert matching("added:2026-01..2026-09")[1] == ["plain"]
    assert matching("added:..2026-09")[1] == ["plain", "old"]


def test_bad_values_are_a_message_not_an_error() -> None:
    words, names, message = matching("budget is:done")
    assert words == "budget" and names == ["policy", "plain", "old"]
    assert message.startswith("is:done is not known: use is:unread")
    assert "state:gone is not known: use inbox, later, archive" in matching("state:gone")[2]
    assert "added:soon is not a date" in matching("added:soon")[2]
    assert matching("tag:")[2] == "tag: needs a value"
    assert matching("is:unr", typing=True)[2] == ""  # still being typed
    assert matching('tag:"smart ci', typing=True)[1] == ["policy"]
