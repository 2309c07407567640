"""Make docs/screenshot.svg from the app itself: the seed article open at its first question.

Run with `make screenshot` (or `.venv/bin/python docs/screenshot.py`).
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

from reader.resources import seeds_dir
from reader.ui.app import ReaderApp
from reader.ui.widgets.document_view import DocumentView

OUT = Path(__file__).resolve().parent / "screenshot.svg"


async def main() -> None:
    os.environ.setdefault("READER_HOME", tempfile.mkdtemp(prefix="reader-shot-"))
    app = ReaderApp([seeds_dir()])
    async with app.run_test(size=(110, 32)) as pilot:
        view = app.screen.query_one(DocumentView)
        while not (view.document and view.container_size.height and view.row_count):
            await pilot.pause(0.05)
        await pilot.press("tab", "right_square_bracket", "right_square_bracket")
        await pilot.pause(0.1)
        OUT.write_text(app.export_screenshot(title="reader"), encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    asyncio.run(main())
