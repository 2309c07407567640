"""Markdown through markdown-it-py: blocks, marks, front matter, corpus samples."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.document import BlockKind
from reader.core.formats import parse_bytes, read_document

SAMPLE = """---
title: "Notes on Reading"
author: Ada
date: 2024-05-01T10:00:00
---

# Notes on Reading

Some **bold** and *italic* text with `code` and a [link](http://x.org).

## Lists

- first item
- second item
  - nested item

1. one
2. two

> A quoted passage
> over two lines.

```python
def f():
    return 1
```

| a | b |
|---|---|
| 1 | 2 |

---

Last paragraph.
"""


@pytest.fixture(scope="module")
def doc():
    return parse_bytes(SAMPLE.encode(), Path("/tmp/notes.md"), "markdown")


def test_front_matter(doc):
    assert doc.title == "Notes on Reading"
    assert doc.source == "Ada"
    assert doc.date == "2024-05-01"
    assert "title:" not in doc.text


def test_title_heading_not_repeated(doc):
    assert doc.text.count("Notes on Reading") == 1
    assert [s.title for s in doc.sections] == ["Lists"]


def test_inline_marks(doc):
    paragraph = next(b for b in doc.blocks if b.kind is BlockKind.PARAGRAPH)
    assert paragraph.text == "Some bold and italic text with code and a link."
    kinds = {(paragraph.text[m.start : m.end], m.kind) for m in paragraph.marks}
    assert kinds == {("bold", "strong"), ("italic", "em"), ("code", "code"), ("link", "link")}


def test_lists_quotes_code_tables(doc):
    items = [(b.marker, b.level, b.text) for b in doc.blocks if b.kind is BlockKind.LIST_ITEM]
    assert items == [
        ("•", 0, "first item"),
        ("•", 0, "second item"),
        ("•", 1, "nested item"),
        ("1.", 0, "one"),
        ("2.", 0, "two"),
    ]
    quote = next(b for b in doc.blocks if b.kind is BlockKind.QUOTE)
    assert quote.text == "A quoted passage over two lines."
    code = next(b for b in doc.blocks if b.kind is BlockKind.CODE)
    assert code.text == "def f():\n    return 1"
    rows = [b.text for b in doc.blocks if b.kind is BlockKind.PRE]
    assert rows == ["a │ b", "1 │ 2"]
    assert any(b.kind is BlockKind.RULE for b in doc.blocks)


def test_title_falls_back_to_first_heading_then_file_name(tmp_path: Path):
    doc = parse_bytes(b"Intro line\n\n## Second\n", tmp_path / "x.md", "markdown")
    assert doc.title == "Second"
    empty = parse_bytes(b"", tmp_path / "blank.md", "markdown")
    assert empty.title == "blank"


@pytest.mark.corpus
def test_corpus_markdown(corpus: Path):
    doc = read_document(corpus / "markdown" / "markdownlint--doc--md013.md")
    assert doc.title == "MD013 - Line length"
    assert "line_length" in doc.text
    doc = read_document(corpus / "markdown" / "starlette--docs--websockets.md")
    assert "receive_text" in doc.text
    assert len(doc.sections) > 5


@pytest.mark.corpus
def test_corpus_markdown_sample_parses(corpus: Path):
    files = sorted((corpus / "markdown").glob("*.md"))[::10] + sorted((corpus / "zh-markdown").glob("*.md"))
    for path in files:
        doc = read_document(path)
        for block in doc.blocks:
            assert doc.text[block.start : block.end] == block.text
