"""How text becomes search terms: words, CJK bigrams, lower case, no accents.

Latin, Cyrillic, Greek … words are indexed whole (``\\w+(\\.?\\w+)*``, passed
explicitly: Whoosh forks changed the default so ``**bold**`` kept its stars).
A run of CJK characters has no spaces, so it is indexed as overlapping
bigrams, plus the run's single characters so one typed character finds
something; a query word made of several such tokens is searched as a phrase.
No stemming on these fields: a stemmer indexes ``digital`` as ``digit``, and
the keystrokes ``digita``/``digital`` would then find nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from whoosh.analysis import Composable, LowercaseFilter, NgramFilter, Token, Tokenizer

__all__ = ["word_analyzer", "edge_analyzer", "fold", "is_cjk", "CJK_RANGES"]

CJK_RANGES = "\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u3130-\u318f\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_TOKEN = re.compile(rf"[{CJK_RANGES}]+|[^\W{CJK_RANGES}]+(?:\.?[^\W{CJK_RANGES}]+)*")
_CJK_RUN = re.compile(rf"[{CJK_RANGES}]")


def is_cjk(text: str) -> bool:
    return bool(_CJK_RUN.match(text))


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Lower case without accents: ``Café`` → ``cafe`` (CJK unchanged)."""
    word = word.lower()
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class WordTokenizer(Tokenizer):
    """Whole words for alphabetic scripts; unigrams and bigrams for CJK runs."""

    def __init__(self, cjk_unigrams: bool = True) -> None:
        self.cjk_unigrams = cjk_unigrams

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.__dict__ == self.__dict__

    def __call__(  # type: ignore[override]
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        unigrams = self.cjk_unigrams and mode != "query"
        if not tokenize:
            yield _fill(token, fold(value), pos, start_char, start_char + len(value), positions, chars)
            return
        for match in _TOKEN.finditer(value):
            text = match.group(0)
            start = match.start()
            if not is_cjk(text):
                yield _fill(token, fold(text), pos, start_char + start, start_char + match.end(), positions, chars)
                pos += 1
                continue
            if len(text) == 1:
                yield _fill(token, text, pos, start_char + start, start_char + start + 1, positions, chars)
                pos += 1
                continue
            for i in range(len(text) - 1):
                yield _fill(token, text[i : i + 2], pos, start_char + start + i, start_char + start + i + 2, positions, chars)
                if unigrams:
                    # the single character too (same position), so one typed character finds it
                    yield _fill(token, text[i], pos, start_char + start + i, start_char + start + i + 1, positions, chars)
                pos += 1
            if unigrams:
                last = len(text) - 1
                yield _fill(token, text[last], pos - 1, start_char + start + last, start_char + start + last + 1, positions, chars)


def _fill(token: Token, text: str, pos: int, start: int, end: int, positions: bool, chars: bool) -> Token:
    token.text = text
    token.boost = 1.0
    token.stopped = False
    if positions:
        token.pos = pos
    if chars:
        token.startchar = start
        token.endchar = end
    return token


def word_analyzer() -> Composable:
    """The analyzer of the title, source, sections and body fields."""
    return WordTokenizer()


def edge_analyzer(maxsize: int = 12) -> Composable:
    """Edge n-grams of each word (``dig`` → ``d``, ``di``, ``dig``): the typed prefix is one term."""
    return WordTokenizer(cjk_unigrams=False) | LowercaseFilter() | NgramFilter(1, maxsize, at="start")
