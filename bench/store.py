"""The notes store: saving one note, loading one shard, loading every shard.

Builds a store of 10,000 notes across 1,000 documents (10 a document, each with a
reading position) in a temporary folder, and beside it the same data as JSON, one
file a document holding the mapping its YAML holds: the baseline. Notes are like
the shared research's (a quote of 60–300 characters from the seed article with 32
characters of context each side, a note text on a third of them, some of several
lines, tags on a quarter, an emoji on one in twenty, one in ten a bookmark). A
500-note shard is built in a second store.

Every figure comes from fresh processes (no cache of an earlier run helps), each
interleaving the subject with its JSON baseline:

1. load every shard — ``list(Store.shards())`` against ``json.loads`` of every JSON
   file (and, apart, building the ``Note`` objects from those mappings);
2. load one shard — ``Store.load`` of documents this process never read, each
   against ``json.loads`` of the same document's file;
3. save one note — ``Store.put_note`` of a new note into a document the store has
   just loaded (as the app does), against ``json.dumps`` of that document's mapping
   with the note added plus the same ``atomic_write`` (temp file, fsync, rename,
   fsync of the folder), the least a durable save can cost;
4. save into a 500-note shard — two ``Store`` objects on one folder saving in turn,
   so each save first reads the other's change, against the JSON save of 500 notes;
5. save into a huge shard (``--huge``, 20,000 notes) — a note added, then edited, by
   a store that has loaded the shard (as the app does), against the JSON save of the
   same notes. (A memo smaller than the shard made each such save dump and parse the
   whole shard again: about 9 s a save, against 0.3 s of JSON.)

    python bench/store.py [--runs 5] [--documents 1000] [--notes 10] [--huge 20000] [--dir FOLDER]

Saves are durable (fsync), so their figures are mostly the disk's: build the store on
the disk you want to measure (``--dir``; a tmpfs temp folder would hide the syncs).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import SEEDS, clean_environment, machine, median, ms, ratio, table  # noqa: E402

from reader.core.formats import read_document  # noqa: E402
from reader.core.notes import (  # noqa: E402
    DocumentRef,
    Kind,
    Note,
    Position,
    make_target,
    new_id,
    note_from_dict,
    note_to_dict,
)
from reader.storage.atomic import atomic_write  # noqa: E402
from reader.storage.shard_file import ShardData, dump_shard, to_mapping  # noqa: E402
from reader.storage.store import Store  # noqa: E402

SAMPLES = 60  # documents loaded and saved into per run
BIG = 500  # notes in the big shard
HUGE_SAVES = 4  # saves into the huge shard per run (half new notes, half edits)
HUGE_ID = "4a6e4a6e4a6e"
WORDS = ["economy", "innovation", "数字经济", "科技", "policy", "note to self", "compare", "see also"]


# -- the data -----------------------------------------------------------------------------


def seed_text() -> str:
    return read_document(sorted(SEEDS.glob("*.txt"))[0]).text


def make_note(rng: random.Random, text: str, doc_id: str, number: int) -> Note:
    length = rng.randint(60, 300)
    start = rng.randrange(0, len(text) - length)
    kind = Kind.BOOKMARK if number % 10 == 9 else Kind.NOTE
    body = ""
    if kind is Kind.NOTE and number % 3 == 0:
        lines = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12))) for _ in range(rng.randint(1, 3))]
        body = "\n".join(lines).capitalize() + ("." if number % 2 else "")
    if number % 20 == 7:
        body += " 🙂"
    tags = tuple(rng.sample(["econ", "hk", "todo", "tech", "数字"], 2)) if number % 4 == 0 else ()
    stamp = f"2026-11-{rng.randint(1, 24):02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00Z"
    return Note(
        id=new_id(),
        doc_id=doc_id,
        kind=kind,
        target=make_target(text, start, start + length, "5d41402abc4b2a76b9719d911017c592"),
        created=stamp,
        updated=stamp,
        text=body,
        tags=tags,
        name=f"Place {number}" if kind is Kind.BOOKMARK else "",
        section="Hong Kong Has Obvious Advantages" if number % 5 == 0 else "",
    )


def build_huge(root: Path, notes: int, seed: int = 2) -> float:
    """A shard of ``notes`` notes under ``root/huge``, and its JSON copy; its size in MB."""
    rng = random.Random(seed)
    text = seed_text()
    huge = ShardData(HUGE_ID, document=DocumentRef(HUGE_ID, "/library/annotated.txt", "A much annotated book"))
    for index in range(notes):
        note = make_note(rng, text, huge.doc_id, index)
        huge.notes[note.id] = note
    store = Store(root / "huge")
    store.notes_dir.mkdir(parents=True)
    store.path_of(HUGE_ID).write_text(dump_shard(huge), encoding="utf-8")
    (root / "huge.json").write_text(json.dumps(to_mapping(huge), ensure_ascii=False), encoding="utf-8")
    return store.path_of(HUGE_ID).stat().st_size / 1e6


def build(root: Path, documents: int, notes: int, seed: int = 1) -> dict[str, float]:
    """Write the YAML store under ``root/store`` and the JSON copy under ``root/json``."""
    rng = random.Random(seed)
    text = seed_text()
    store, json_dir = Store(root / "store"), root / "json"
    store.notes_dir.mkdir(parents=True)
    json_dir.mkdir()
    for number in range(documents):
        doc_id = f"{number:012x}"
        shard = ShardData(doc_id, document=DocumentRef(doc_id, f"/library/article-{number}.txt", f"Article {number}"))
        for index in range(notes):
            note = make_note(rng, text, doc_id, number * notes + index)
            shard.notes[note.id] = note
        where = make_target(text, 5000, 5032, "5d41402a")
        shard.position = Position(where, rng.randint(0, 100), "2026-11-24T10:00:00Z")
        store.path_of(doc_id).write_text(dump_shard(shard), encoding="utf-8")
        (json_dir / f"{doc_id}.json").write_text(json.dumps(to_mapping(shard), ensure_ascii=False), encoding="utf-8")
    big = ShardData("b16b16b16b16", document=DocumentRef("b16b16b16b16", "/library/book.txt", "A long book"))
    for index in range(BIG):
        note = make_note(rng, text, big.doc_id, index)
        big.notes[note.id] = note
    big_store = Store(root / "big")
    big_store.notes_dir.mkdir(parents=True)
    big_store.path_of(big.doc_id).write_text(dump_shard(big), encoding="utf-8")
    (root / "big.json").write_text(json.dumps(to_mapping(big), ensure_ascii=False), encoding="utf-8")
    return {
        "yaml_mb": sum(path.stat().st_size for path in store.notes_dir.iterdir()) / 1e6,
        "json_mb": sum(path.stat().st_size for path in json_dir.iterdir()) / 1e6,
        "big_kb": big_store.path_of(big.doc_id).stat().st_size / 1e3,
    }


# -- what a measuring process does ----------------------------------------------------------


def load_all(root: Path) -> dict[str, float]:
    started = time.perf_counter()
    shards = list(Store(root / "store").shards())
    yaml_seconds = time.perf_counter() - started
    started = time.perf_counter()
    mappings = [json.loads(path.read_bytes()) for path in sorted((root / "json").iterdir())]
    json_seconds = time.perf_counter() - started
    started = time.perf_counter()
    built = [note_from_dict(item, data["document"]["id"]) for data in mappings for item in data["notes"]]
    build_seconds = time.perf_counter() - started
    assert sum(len(shard.notes) for shard in shards) == len(built)
    return {"yaml": yaml_seconds, "json": json_seconds, "build": build_seconds, "notes": len(built)}


def one_shard(root: Path, loads: list[str], saves: list[str]) -> dict[str, list[float]]:
    store = Store(root / "store")
    rng = random.Random(len(loads[0]))
    text = seed_text()
    out: dict[str, list[float]] = {"load": [], "load_json": [], "save": [], "save_json": []}
    for doc_id in loads:
        started = time.perf_counter()
        store.load(doc_id)
        out["load"].append(time.perf_counter() - started)
        started = time.perf_counter()
        json.loads((root / "json" / f"{doc_id}.json").read_bytes())
        out["load_json"].append(time.perf_counter() - started)
    for doc_id in saves:
        shard = store.load(doc_id)
        note = make_note(rng, text, doc_id, 1)
        started = time.perf_counter()
        store.put_note(shard.document, note)  # type: ignore[arg-type]
        out["save"].append(time.perf_counter() - started)
        path = root / "json" / f"{doc_id}.json"
        data = json.loads(path.read_bytes())
        started = time.perf_counter()
        data["notes"].append(note_to_dict(note))
        atomic_write(path, json.dumps(data, ensure_ascii=False))
        out["save_json"].append(time.perf_counter() - started)
    return out


def big_shard(root: Path, saves: int) -> dict[str, list[float]]:
    stores = [Store(root / "big"), Store(root / "big")]
    doc_id = "b16b16b16b16"
    document = stores[0].load(doc_id).document
    stores[1].load(doc_id)
    rng = random.Random(saves)
    text = seed_text()
    path = root / "big.json"
    data = json.loads(path.read_bytes())
    out: dict[str, list[float]] = {"save": [], "save_json": []}
    for number in range(saves):
        note = make_note(rng, text, doc_id, number)
        started = time.perf_counter()
        stores[number % 2].put_note(document, note)  # type: ignore[arg-type]
        out["save"].append(time.perf_counter() - started)
        started = time.perf_counter()
        data["notes"].append(note_to_dict(note))
        atomic_write(path, json.dumps(data, ensure_ascii=False))
        out["save_json"].append(time.perf_counter() - started)
    return out


def huge_shard(root: Path, saves: int) -> dict[str, list[float]]:
    store = Store(root / "huge")
    document = store.load(HUGE_ID).document
    rng = random.Random(saves)
    text = seed_text()
    path = root / "huge.json"
    data = json.loads(path.read_bytes())
    out: dict[str, list[float]] = {"save": [], "save_json": []}
    for number in range(saves):
        note = make_note(rng, text, HUGE_ID, number)
        for version in (note, note.edited(text=f"edited {number}")):
            started = time.perf_counter()
            store.put_note(document, version)  # type: ignore[arg-type]
            out["save"].append(time.perf_counter() - started)
            started = time.perf_counter()
            data["notes"] = [item for item in data["notes"] if item["id"] != version.id] + [note_to_dict(version)]
            atomic_write(path, json.dumps(data, ensure_ascii=False))
            out["save_json"].append(time.perf_counter() - started)
    return out


def child(mode: str, root: Path, docs: str) -> int:
    if mode == "huge":
        print(json.dumps(huge_shard(root, int(docs))))
        return 0
    if mode == "all":
        result: object = load_all(root)
    elif mode == "one":
        loads, saves = (part.split(",") for part in docs.split("/"))
        result = one_shard(root, loads, saves)
    else:
        result = big_shard(root, int(docs))
    print(json.dumps(result))
    return 0


def run_child(mode: str, root: Path, docs: str = "") -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(root), docs],
        env=clean_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"the measuring process failed ({mode}):\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# -- the report ---------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per measurement (default 5)")
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--notes", type=int, default=10, help="notes per document (default 10)")
    parser.add_argument("--huge", type=int, default=20_000, help="notes in the huge shard (default 20,000; 0: none)")
    parser.add_argument("--dir", type=Path, help="where to build the store (default: the temp folder)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        mode, root, docs = options.child
        return child(mode, Path(root), docs)
    if options.documents < 2 * SAMPLES * options.runs:
        raise SystemExit(f"--documents must be at least {2 * SAMPLES * options.runs} for {options.runs} runs")

    with tempfile.TemporaryDirectory(prefix="reader-store-bench-", dir=options.dir) as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        sizes = build(root, options.documents, options.notes)
        sizes["huge_mb"] = build_huge(root, options.huge) if options.huge else 0.0
        print(f"built in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        everything = [run_child("all", root) for _ in range(options.runs)]
        ids = [f"{number:012x}" for number in range(options.documents)]
        singles: dict[str, list[float]] = {}
        big: dict[str, list[float]] = {}
        huge: dict[str, list[float]] = {}
        for run in range(options.runs):
            loads = ids[run * SAMPLES : (run + 1) * SAMPLES]
            saves = ids[-(run + 1) * SAMPLES : len(ids) - run * SAMPLES]
            for key, values in run_child("one", root, ",".join(loads) + "/" + ",".join(saves)).items():
                singles.setdefault(key, []).extend(values)
            for key, values in run_child("big", root, str(SAMPLES)).items():
                big.setdefault(key, []).extend(values)
            if options.huge:
                for key, values in run_child("huge", root, str(HUGE_SAVES // 2)).items():
                    huge.setdefault(key, []).extend(values)
            print(f"\rrun {run + 1}/{options.runs}", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)

    notes = everything[0]["notes"]

    def med(key: str) -> float:
        return median([run[key] for run in everything])

    def p90(values: list[float]) -> str:
        return ms(statistics.quantiles(values, n=10)[-1]) if len(values) >= 10 else "–"

    print(f"# Notes store benchmark\n\n{machine()}")
    print(
        f"{options.documents:,} documents × {options.notes} notes = {notes:,} notes; "
        f"YAML {sizes['yaml_mb']:.1f} MB, JSON {sizes['json_mb']:.1f} MB; big shard {BIG} notes, "
        f"{sizes['big_kb']:.0f} kB; {options.runs} fresh processes per figure\n"
    )
    rows = [
        ["load every shard (`shards()`)", ms(med("yaml")), "–", ms(med("json")), ratio(med("yaml"), med("json"))],
        ["…building the notes from JSON mappings alone", ms(med("build")), "–", "", ""],
    ]
    measured = [
        ("load one shard (never read before)", singles, "load"),
        ("save one note (shard just loaded)", singles, "save"),
        (f"save one note, {BIG}-note shard, two stores in turn", big, "save"),
    ]
    if options.huge:
        measured.append((f"save or edit one note, {options.huge:,}-note shard ({sizes['huge_mb']:.0f} MB)", huge, "save"))
    for label, data, key in measured:
        subject, baseline = median(data[key]), median(data[f"{key}_json"])
        rows.append([label, ms(subject), p90(data[key]), ms(baseline), ratio(subject, baseline)])
    print(table(["what", "median", "p90", "JSON baseline (median)", "÷ JSON"], rows))
    samples = len(singles["load"])
    print(f"\none-shard figures: {samples} documents loaded and {samples} saved into, over {options.runs} processes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
