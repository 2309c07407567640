"""A writer process for the store's reliability tests (run as a script, never collected).

    python store_writer.py DATA_DIR DOC_ID NAME [COUNT]

Waits for a line on stdin (so that several writers start together), then saves
notes to DOC_ID in a loop: a new note, then every third time an edit of one of its
earlier notes, then every fifth time the reading position. After each save has
returned it prints ``note ID VERSION`` or ``position PERCENT`` and flushes, so the
parent knows which saves were complete. Stops after COUNT new notes (default: never).
A save that fails prints ``error MESSAGE`` and ends the process with status 1.
"""

from __future__ import annotations

import sys
from pathlib import Path

from reader.core.notes import DocumentRef, Kind, Note, Position, make_target, now
from reader.storage.store import Store, StoreError

TEXT = "The committee said it would keep rates unchanged for a third consecutive meeting. " * 40


def note(doc_id: str, note_id: str, number: int, version: int) -> Note:
    start = (number * 37) % (len(TEXT) - 80)
    body = f"{note_id} v{version}\n" + "another line: 数字经济 😀 # ---\n" * (number % 4)
    stamp = now()
    return Note(note_id, doc_id, Kind.NOTE, make_target(TEXT, start, start + 40, "hash"), stamp, stamp, text=body)


def main() -> int:
    try:
        save_in_a_loop()
    except StoreError as error:
        print(f"error {error}", flush=True)
        return 1
    return 0


def save_in_a_loop() -> None:
    data_dir, doc_id, name = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    count = int(sys.argv[4]) if len(sys.argv) > 4 else None
    store = Store(data_dir)
    document = DocumentRef(doc_id, f"/library/{doc_id}.txt", "A document")
    sys.stdin.readline()
    versions: dict[str, int] = {}
    number = 0
    while count is None or number < count:
        note_id = f"{name}-{number}"
        store.put_note(document, note(doc_id, note_id, number, 1))
        versions[note_id] = 1
        print(f"note {note_id} 1", flush=True)
        if number % 3 == 2:
            earlier = f"{name}-{number // 2}"
            versions[earlier] += 1
            store.put_note(document, note(doc_id, earlier, number // 2, versions[earlier]))
            print(f"note {earlier} {versions[earlier]}", flush=True)
        if number % 5 == 4:
            percent = number % 101
            store.put_position(document, Position(make_target(TEXT, number, number + 20, "hash"), percent, now()))
            print(f"position {percent}", flush=True)
        number += 1


if __name__ == "__main__":
    sys.exit(main())
