"""Anchoring a note's target in an edited text: each step of the order, on small texts."""

from __future__ import annotations

import hashlib
import random

import pytest

from reader.core.anchors import MATCH_THRESHOLD, Anchoring, Status, anchor, anchor_all, find_quote
from reader.core.notes import Target, make_target

PASSAGE = "the lighthouse keeper wrote every storm into a blue ledger"

TEXT = (
    "Harbour Notes\n\n"
    "The town grew up around the harbour, and the harbour around the fish market. "
    "Every morning the boats came in before the bells.\n\n"
    f"On the cliff above, {PASSAGE}, one line for each night of wind. "
    "Nobody read it until the museum asked for it.\n\n"
    "The ledger now sits behind glass, open at the great gale of the winter."
)


def digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def note_on(text: str, quote: str, occurrence: int = 0) -> Target:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return make_target(text, start, start + len(quote), digest(text))


def anchored(target: Target, text: str) -> Anchoring:
    return anchor(target, text, digest(text))


def covers(text: str, found: Anchoring, expected: str) -> bool:
    return text[found.start : found.end] == expected


def words(count: int, seed: int) -> str:
    """Made-up prose: random words that repeat no passage of themselves by chance."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    return " ".join("".join(rng.choice(letters) for _ in range(rng.randint(2, 9))) for _ in range(count))


# -- 1. the same text -------------------------------------------------------------------


def test_same_hash_keeps_the_offsets() -> None:
    target = note_on(TEXT, PASSAGE)
    found = anchored(target, TEXT)
    assert found == Anchoring(Status.EXACT, target.start, target.end, 1.0)
    assert found.attached


def test_same_hash_with_offsets_out_of_range_is_not_trusted() -> None:
    target = note_on(TEXT, PASSAGE)
    broken = Target(target.exact, target.prefix, target.suffix, len(TEXT) + 5, len(TEXT) + 60, digest(TEXT))
    found = anchored(broken, TEXT)
    assert found.status is Status.MOVED
    assert (found.start, found.end) == (target.start, target.end)


# -- 2. the offsets still hold the quote ------------------------------------------------------


def test_offsets_holding_the_quote_after_an_edit_below() -> None:
    target = note_on(TEXT, PASSAGE)
    edited = TEXT + "\n\nA postscript added later."
    found = anchored(target, edited)
    assert found.status is Status.EXACT
    assert (found.start, found.end) == (target.start, target.end)


# -- 3. the exact quote elsewhere -------------------------------------------------------------


def test_text_inserted_above_moves_the_note() -> None:
    target = note_on(TEXT, PASSAGE)
    edited = "A foreword, written for the second edition.\n\n" + TEXT
    found = anchored(target, edited)
    assert found.status is Status.MOVED
    assert found.start == target.start + len("A foreword, written for the second edition.\n\n")
    assert covers(edited, found, PASSAGE)
    assert found.score >= MATCH_THRESHOLD


def test_repeated_phrase_goes_to_the_occurrence_with_its_context() -> None:
    phrase = "the tide turned at noon"
    text = (
        f"In March {phrase} and the ferry waited.\n\n"
        f"Years later, on the day of the wedding, {phrase} again, and the guests went home early."
    )
    target = note_on(text, phrase, occurrence=1)
    edited = "Preface.\n\n" + text.replace("In March", "In the March of that cold year")
    found = anchored(target, edited)
    assert found.status is Status.MOVED
    assert found.start == edited.index(phrase, edited.index("wedding"))


def test_identical_copies_are_told_apart_by_the_neighbours() -> None:
    chorus = "and the sea came back, and the sea came back again to the door"
    block = f"Chorus, sung twice over by all. {chorus}. End of the chorus, and a pause."
    text = f"{words(40, 1)}\n\n{block}\n\n{words(8, 2)}\n\n{block}\n\n{words(40, 3)}"
    neighbour = note_on(text, words(8, 2))
    second = note_on(text, chorus, occurrence=1)
    edited = words(30, 4) + "\n\n" + text  # now the first copy is nearer the second's old offsets
    alone = anchored(second, edited)
    assert alone.start == edited.index(chorus)  # quote and context alike: only the place tells
    together = anchor_all([neighbour, second], edited, digest(edited))
    assert [found.status for found in together] == [Status.MOVED, Status.MOVED]
    assert together[1].start == edited.index(chorus, edited.index(chorus) + 1)


# -- 4. approximately -------------------------------------------------------------------------


def test_a_word_changed_inside_the_quote_is_found_fuzzily() -> None:
    target = note_on(TEXT, PASSAGE)
    edited = "New opening line.\n\n" + TEXT.replace("every storm", "each storm")
    found = anchored(target, edited)
    assert found.status is Status.FUZZY
    assert covers(edited, found, PASSAGE.replace("every storm", "each storm"))
    assert MATCH_THRESHOLD <= found.score < 1.0


def test_a_word_added_at_the_end_of_the_quote_is_inside_the_match() -> None:
    target = note_on(TEXT, PASSAGE)
    edited = TEXT.replace("blue ledger", "blue leather ledger")
    found = anchored(target, edited)
    assert found.status is Status.FUZZY
    assert covers(edited, found, PASSAGE.replace("blue ledger", "blue leather ledger"))


def test_quote_at_the_start_of_the_text() -> None:
    quote = "Harbour Notes\n\nThe town grew up around the harbour"
    target = note_on(TEXT, quote)
    assert target.prefix == ""
    edited = TEXT.replace("The town grew", "The village grew")
    found = anchored(target, edited)
    assert found.status is Status.FUZZY
    assert (found.start, found.end) == (0, len(quote) + len("village") - len("town"))


def test_quote_at_the_end_of_the_text() -> None:
    quote = "open at the great gale of the winter."
    target = note_on(TEXT, quote)
    assert target.suffix == ""
    edited = "Inserted.\n\n" + TEXT.replace("great gale", "great storm")
    found = anchored(target, edited)
    assert found.status is Status.FUZZY
    assert found.end == len(edited)
    assert covers(edited, found, quote.replace("gale", "storm"))


def test_an_edited_paragraph_moved_far_away_is_found() -> None:
    passage = "the keeper of the western light kept a ledger of every ship that passed in the night"
    paragraph = f"{words(12, 6)} {passage} {words(12, 7)}"
    before, after = words(6000, 4), words(24000, 5)
    text = f"{before}\n\n{paragraph}\n\n{after}"
    target = note_on(text, passage)
    changed = paragraph.replace("western", "northern")
    edited = f"{before}\n\n{after[:120000]}\n\n{changed}\n\n{after[120000:]}"  # beyond the search windows
    found = anchored(target, edited)
    assert found.status is Status.FUZZY
    assert covers(edited, found, passage.replace("western", "northern"))


def test_an_edited_passage_moved_into_new_surroundings_is_detached() -> None:
    passage = "the keeper of the western light kept a ledger of every ship that passed in the night"
    before, after = words(600, 4), words(1200, 5)
    text = f"{before}\n\n{passage}\n\n{after}"
    target = note_on(text, passage)
    edited = f"{before}\n\n{after[:3000]}\n\n{passage.replace('western', 'northern')}\n\n{after[3000:]}"
    assert anchored(target, edited).status is Status.DETACHED  # quote edited, context all new: too unsure


def test_cjk_text_moved_and_edited() -> None:
    text = (
        "港口笔记\n\n小镇围着港口长大，港口围着鱼市长大。每天早上，渔船在钟声之前回来。\n\n"
        "在悬崖上，灯塔看守人把每一场风暴都写进一本蓝色的账簿，每个有风的夜晚写一行。"
        "直到博物馆来要，才有人读它。"
    )
    quote = "灯塔看守人把每一场风暴都写进一本蓝色的账簿"
    target = note_on(text, quote)
    moved = "序言。\n\n" + text
    found = anchored(target, moved)
    assert found.status is Status.MOVED
    assert covers(moved, found, quote)
    edited = moved.replace("蓝色", "红色")
    found = anchored(target, edited)
    assert found.status is Status.FUZZY
    assert covers(edited, found, quote.replace("蓝色", "红色"))


def test_quote_with_more_than_256_different_characters() -> None:
    rng = random.Random(8)
    text = "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(3000))
    target = make_target(text, 1000, 1400, digest(text))
    assert len(set(target.exact)) > 256
    edited = "序言。" + text[:1100] + "改" + text[1101:]
    found = anchored(target, edited)
    assert found.status is Status.FUZZY
    assert (found.start, found.end) == (1003, 1403)


# -- 5. detached ------------------------------------------------------------------------------


def test_deleted_passage_is_detached() -> None:
    target = note_on(TEXT, PASSAGE)
    edited = TEXT.replace(f"On the cliff above, {PASSAGE}, one line for each night of wind. ", "")
    found = anchored(target, edited)
    assert found == Anchoring(Status.DETACHED, 0, 0, 0.0)
    assert not found.attached


def test_rewritten_passage_is_detached_rather_than_guessed() -> None:
    target = note_on(TEXT, PASSAGE)
    edited = TEXT.replace(PASSAGE, "a keeper kept notes about the weather in a small red book")
    assert anchored(target, edited).status is Status.DETACHED


def test_empty_text_detaches_everything() -> None:
    target = note_on(TEXT, PASSAGE)
    assert anchored(target, "") == Anchoring(Status.DETACHED, 0, 0, 0.0)
    assert anchor_all([target, target], "", digest("")) == [Anchoring(Status.DETACHED, 0, 0, 0.0)] * 2


# -- short quotes (bookmarks, reading positions) ----------------------------------------------


def test_short_quote_is_never_found_approximately() -> None:
    target = note_on(TEXT, "blue ledger")
    edited = TEXT.replace("blue ledger", "blue ledgor")  # one letter off, its context intact
    assert anchored(target, edited).status is Status.DETACHED


def test_short_quote_elsewhere_without_its_context_is_detached() -> None:
    target = note_on(TEXT, "harbour")
    edited = "Harbour Notes\n\nThe fish market opened in the old harbour, by the church."
    assert anchored(target, edited).status is Status.DETACHED


def test_short_quote_with_its_context_moves() -> None:
    target = note_on(TEXT, "blue ledger")
    edited = "Foreword.\n\n" + TEXT
    found = anchored(target, edited)
    assert found.status is Status.MOVED
    assert covers(edited, found, "blue ledger")


def test_bookmark_quote_with_a_changed_word_is_found() -> None:
    quote = TEXT[TEXT.index("On the cliff") :][:60]
    target = note_on(TEXT, quote)
    edited = TEXT.replace("On the cliff above", "On the cliffs above")
    found = anchored(target, edited)
    assert found.status is Status.FUZZY
    assert edited[found.start :].startswith("On the cliffs above")


def test_empty_quote_is_found_between_its_prefix_and_suffix() -> None:
    at = TEXT.index("Nobody read it")
    target = make_target(TEXT, at, at, digest(TEXT))
    assert target.exact == ""
    edited = "Foreword.\n\n" + TEXT
    found = anchored(target, edited)
    assert found.status is Status.MOVED
    assert found.start == found.end == at + len("Foreword.\n\n")


# -- many at once -----------------------------------------------------------------------------


def test_anchor_all_keeps_the_order_and_agrees_with_anchor() -> None:
    quotes = [PASSAGE, "the boats came in before the bells", "blue ledger", "open at the great gale"]
    targets = [note_on(TEXT, quote) for quote in quotes]
    edited = "Foreword.\n\n" + TEXT.replace("every storm", "each storm")
    together = anchor_all(targets, edited, digest(edited))
    alone = [anchored(target, edited) for target in targets]
    assert [(f.status, f.start, f.end) for f in together] == [(f.status, f.start, f.end) for f in alone]
    assert [found.status for found in together] == [Status.FUZZY, Status.MOVED, Status.MOVED, Status.MOVED]


def test_status_values_are_stored_as_words() -> None:
    assert [status.value for status in Status] == ["exact", "moved", "fuzzy", "detached"]


# -- find_quote -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quote", "near", "expected"),
    [
        ("the harbour", 0, "the harbour"),
        ("  blue ledger ", 0, "blue ledger"),
        ("BLUE   Ledger", 0, "blue ledger"),
        ("storm into\na blue", 0, "storm into a blue"),
    ],
)
def test_find_quote(quote: str, near: int, expected: str) -> None:
    span = find_quote(TEXT, quote, near)
    assert span is not None
    assert TEXT[span[0] : span[1]] == expected


def test_find_quote_takes_the_occurrence_nearest_near() -> None:
    first, second = TEXT.index("the harbour"), TEXT.index("the harbour", TEXT.index("the harbour") + 1)
    assert find_quote(TEXT, "the harbour", near=second) == (second, second + len("the harbour"))
    assert find_quote(TEXT, "the harbour", near=0) == (first, first + len("the harbour"))


def test_find_quote_absent_or_empty() -> None:
    assert find_quote(TEXT, "a sentence that is not there") is None
    assert find_quote(TEXT, "   ") is None
    assert find_quote("", "harbour") is None
