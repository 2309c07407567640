"""The query language people already know, parsed without ever raising.

``words`` (any may match; the documents with all of them come first),
``"a phrase"`` (must match, in order), ``-excluded``, ``a OR b``, ``title:word``
and ``source:"a phrase"`` (must match). While typing, the last word (not yet
followed by a space) is a prefix. Anything malformed is read as well as it
can be and explained in ``ParsedQuery.message``: a lone ``"``, ``AND``,
``title:`` with nothing after it, ``*``, a pasted page. A long query is cut at
a word boundary (never inside a word, so no fragment of one is searched for),
then to its first ``MAX_CLAUSES`` words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Clause", "ParsedQuery", "parse_query", "FIELDS", "MAX_CLAUSES"]

FIELDS = ("title", "source", "sections", "body")
FIELD_ALIASES = {"title": "title", "source": "source", "by": "source", "section": "sections", "body": "body"}
MAX_CLAUSES = 64
MAX_LENGTH = 1000

_TOKEN = re.compile(r'(-?)(?:(\w+):)?(?:"([^"]*)("?)|(\S+))')
_WORDS = re.compile(r"\w+(?:[.'’-]\w+)*")


@dataclass(frozen=True, slots=True)
class Clause:
    """One thing to match: words (a phrase when several), in a field or in all."""

    words: tuple[str, ...]
    field: str | None = None  # None: any of title, source, sections, body
    negated: bool = False
    prefix: bool = False  # the last word is still being typed
    alternatives: tuple[Clause, ...] = ()  # a OR b: this clause or any of these
    quoted: bool = False  # written in quotes: highlighted as written, not by its stem


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    text: str
    clauses: tuple[Clause, ...] = ()
    message: str = ""
    positive: tuple[Clause, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not self.positive

    def terms(self) -> list[tuple[tuple[str, ...], bool]]:
        """Every positive word group and whether it ends in a prefix (for highlighting)."""
        out = []
        for clause in self.positive:
            for option in (clause, *clause.alternatives):
                if not option.negated:
                    out.append((option.words, option.prefix))
        return out

    def searched(self) -> list[tuple[tuple[str, ...], bool, bool]]:
        """Like :meth:`terms`, with whether each group was quoted (highlighted as written)."""
        out = []
        for clause in self.positive:
            for option in (clause, *clause.alternatives):
                if not option.negated:
                    out.append((option.words, option.prefix, option.quoted))
        return out


def parse_query(text: str, *, typing: bool = False) -> ParsedQuery:
    """Parse ``text``; with ``typing``, a last word not followed by a space is a prefix."""
    messages: list[str] = []
    whole = len(text) <= MAX_LENGTH  # (a query cut short ends with a whole word: not a prefix)
    if not whole:
        text = _cut(text, MAX_LENGTH)
        messages.append(f"query shortened to {MAX_LENGTH} characters")
    raw = list(_TOKEN.finditer(text))
    clauses: list[Clause] = []
    pending_or = False
    ends_open = typing and whole and bool(text) and not text[-1].isspace()
    for index, match in enumerate(raw):
        minus, field_name, phrase, closing, bare = match.groups()
        last = index == len(raw) - 1
        if bare is not None and bare in ("OR", "|", "||") and not minus and not field_name:
            pending_or = bool(clauses)
            continue
        if bare is not None and bare in ("AND", "&&", "+") and not minus and not field_name:
            continue
        if bare is not None and bare.endswith(":") and bare[:-1].lower() in FIELD_ALIASES and not field_name:
            messages.append(f"{bare} needs a word after it")
            continue
        target = None
        if field_name:
            target = FIELD_ALIASES.get(field_name.lower())
            if target is None:
                # not a field we know: read "foo:bar" as the words foo and bar
                bare = f"{field_name} {bare or phrase or ''}"
                phrase = None
        words = tuple(_WORDS.findall(phrase if phrase is not None else (bare or "")))
        if not words:
            if field_name and target:
                messages.append(f"{field_name}: needs a word after it")
            elif phrase is not None and not closing:
                pass  # a lone opening quote: wait for the words
            continue
        if phrase is not None and not closing and not last:
            messages.append("a quote is not closed")
        prefix = last and ends_open and (phrase is None or not closing) and not minus
        if phrase is None and target is None and not minus and len(words) > 1:
            # words glued by other characters (``conditions--that``, ``and/or``): words, not a phrase
            *before, lone = words
            if pending_or and clauses:
                previous = clauses.pop()
                first = Clause((before[0],))
                alternatives = (*previous.alternatives, first)
                clauses.append(
                    Clause(previous.words, previous.field, previous.negated, previous.prefix, alternatives, previous.quoted)
                )
                before = before[1:]
                pending_or = False
            clauses.extend(Clause((word,)) for word in before)
            words = (lone,)
        clause = Clause(words, target, bool(minus), prefix, quoted=phrase is not None)
        if pending_or and clauses and not clause.negated:
            previous = clauses.pop()
            clause = Clause(
                previous.words,
                previous.field,
                previous.negated,
                previous.prefix,
                (*previous.alternatives, clause),
                previous.quoted,
            )
        pending_or = False
        clauses.append(clause)
    if len(clauses) > MAX_CLAUSES:
        clauses = clauses[:MAX_CLAUSES]
        messages.append(f"only the first {MAX_CLAUSES} words are used")
    positive = tuple(c for c in clauses if not c.negated)
    if clauses and not positive:
        messages.append("add a word to search for, not only words to exclude")
    return ParsedQuery(text, tuple(clauses), "; ".join(messages), positive)


def _cut(text: str, length: int) -> str:
    """``text`` cut to at most ``length`` characters, at the last space before the cut
    (inside a word only when one word is longer than that)."""
    if len(text) <= length:
        return text
    if not text[length].isspace():
        space = max(text.rfind(" ", 0, length + 1), text.rfind("\t", 0, length + 1), text.rfind("\n", 0, length + 1))
        if space > 0:
            return text[:space].rstrip()
    return text[:length].rstrip()
