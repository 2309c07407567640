"""Big documents in a real terminal: 20 MB and 50 MB texts against the seed article.

Builds two plain-text documents from real prose (the books in
``../shared/corpus/en-books``, concatenated in name order again and again and
cut at a paragraph break; the seed article repeated where the corpus is absent)
and, for each document and the seed (the baseline), in fresh processes of the
installed ``reader`` in a 120×40 tmux pane, times:

1. first screen — from starting ``reader FILE`` until the document's first words
   are on screen;
2. whole       — until the whole document is read (the status line no longer says
   "reading the rest…"; the seed has no preview, so it is its first screen);
3. ``o``       — the outline on screen, after the whole is read;
4. ``G``       — the status line at 100 %;
5. find echo   — Ctrl+F, then a word typed a letter at a time: each letter until it
   shows in the find bar (median and slowest), and the hit count the status line
   ends on, against the true count (the word's occurrences in the parsed text, as
   a prefix, case- and accent-blind: what find-as-you-type finds);
6. quit while loading — Ctrl+Q once the first screen shows, until the process is
   gone (a separate start).

Each document is indexed beforehand (``reader index FILE``, not timed), as in a
library indexed before, and each run starts without notes or reading positions;
``--unindexed`` leaves the index empty, so that the app indexes the document
while it is measured.

With ``--toolong DIR`` (a virtual environment holding ``toolong``) it also times
``tl FILE`` to its first screen on the same files. Runs alternate seed / 20 MB /
50 MB; medians over ``--runs``.

    python bench/bigdoc.py [--runs 3] [--sizes 20,50] [--unindexed] [--toolong /tmp/tlvenv]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import SEEDS, TmuxPane, clean_environment, machine, median, ms, ratio, table  # noqa: E402
from content import MB, make_document  # noqa: E402

WORD = "knightley"  # typed into find; in Emma, and missing from the seed
_COUNTER = re.compile(r"(\d+)/(\d+)\s+\d+%")


def reader_command() -> list[str]:
    found = shutil.which("reader", path=str(Path(sys.executable).parent)) or shutil.which("reader")
    if found is None:
        raise SystemExit("the reader command is not installed (pip install -e .)")
    return [found]


def first_words(path: Path) -> str:
    """A phrase from the document's first paragraph, to spot its first screen."""
    from reader.core.formats import read_document

    document = read_document(path)
    for block in document.blocks[2:]:
        words = block.text.split()
        if len(words) >= 6:
            return " ".join(words[:3])
    return document.title


def true_count(path: Path, word: str) -> int:
    from reader.core.formats import read_document

    text = read_document(path).text.lower()
    return len(re.findall(rf"(?<!\w){re.escape(word)}\w*", text))


def gone(pid: int | None) -> bool:
    if pid is None:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state == "Z"


def keys(pane: TmuxPane, *names: str, literal: bool = False) -> float:
    started = time.monotonic()
    pane.run("send-keys", "-t", "bench", *(["-l"] if literal else []), *names)
    return started


def measure(path: Path, phrase: str, home: Path) -> dict[str, float]:
    figures: dict[str, float] = {}
    with TmuxPane(120, 40) as pane:
        start = time.monotonic()
        pane.start([*reader_command(), str(path)], env={"READER_HOME": str(home), "TEXTUAL_ANIMATIONS": "none"})
        figures["first"] = pane.wait_until(lambda s: phrase in s, "first screen", timeout=300) - start
        figures["whole"] = (
            pane.wait_until(lambda s: phrase in s and "reading the rest" not in s and "Reading" not in s, "whole document", timeout=300)
            - start
        )
        started = keys(pane, "o")
        figures["outline"] = pane.wait_until(lambda s: "Outline ·" in s, "outline", timeout=300) - started
        keys(pane, "Escape")
        pane.wait_until(lambda s: "Outline ·" not in s, "outline closed", timeout=300)
        keys(pane, "Tab")  # to the content pane
        time.sleep(0.3)
        started = keys(pane, "G")
        figures["end"] = pane.wait_until(lambda s: "100%" in s.splitlines()[-2], "G", timeout=300) - started
        keys(pane, "C-f")
        pane.wait_until(lambda s: "Find in this document" in s, "find bar", timeout=300)
        echoes = []
        for length in range(1, len(WORD) + 1):
            typed = WORD[:length]
            started = keys(pane, WORD[length - 1], literal=True)
            echoes.append(pane.wait_until(lambda s: typed in "\n".join(s.splitlines()[:3]), "echo", timeout=300) - started)  # noqa: B023
        figures["echo"] = median(echoes)
        figures["echo_max"] = max(echoes)

        def counted(screen: str) -> bool:
            found = _COUNTER.search(screen.splitlines()[-2])
            return found is not None or "Not found" in screen

        screen_at = pane.wait_until(counted, "hit count", timeout=300)
        found = _COUNTER.search(pane.capture().splitlines()[-2])
        figures["hits"] = int(found.group(2)) if found else 0
        figures["hits_after"] = screen_at - started
        pid = pane.pane_pid()
        keys(pane, "C-q")
        deadline = time.monotonic() + 30
        while not gone(pid) and time.monotonic() < deadline:
            time.sleep(0.005)
    return figures


def measure_quit(path: Path, phrase: str, home: Path) -> float:
    """Ctrl+Q as soon as the first screen shows, while the rest is read: until the process is gone."""
    with TmuxPane(120, 40) as pane:
        pane.start([*reader_command(), str(path)], env={"READER_HOME": str(home), "TEXTUAL_ANIMATIONS": "none"})
        pane.wait_until(lambda s: phrase in s, "first screen", timeout=300)
        pid = pane.pane_pid()
        started = keys(pane, "C-q")
        deadline = time.monotonic() + 60
        while not gone(pid):
            if time.monotonic() > deadline:
                raise TimeoutError("the app did not exit within 60 s")
            time.sleep(0.002)
        return time.monotonic() - started


def measure_toolong(venv: Path, path: Path, phrase: str) -> float:
    """``tl FILE`` until the file's text shows (its first words, or its last line: it may open at the end)."""
    last = next(line.strip()[:20] for line in reversed(path.read_text(encoding="utf-8").splitlines()) if line.strip())
    with TmuxPane(120, 40) as pane:
        start = time.monotonic()
        pane.start([str(venv / "bin" / "tl"), str(path)])
        seen = pane.wait_until(lambda s: phrase[:20] in s or last in s, "toolong's first screen", timeout=120) - start
        keys(pane, "C-q")
        return seen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per document (default 3)")
    parser.add_argument("--sizes", default="20,50", help="big documents' sizes in MB (default 20,50)")
    parser.add_argument("--toolong", type=Path, help="a virtual environment with toolong, to time it too")
    parser.add_argument("--unindexed", action="store_true", help="do not index the documents beforehand")
    options = parser.parse_args()

    seed = sorted(SEEDS.glob("*.txt"))[0]
    with tempfile.TemporaryDirectory(prefix="reader-bigdoc-") as tmp:
        tmp_path = Path(tmp)
        documents = {"seed": seed}
        origin = ""
        for size in options.sizes.split(","):
            path = tmp_path / f"big-{size}mb.txt"
            origin = make_document(path, int(float(size) * MB))
            documents[f"{size} MB"] = path
        phrases = {name: first_words(path) for name, path in documents.items()}
        truth = {name: true_count(path, WORD) for name, path in documents.items()}
        samples: dict[str, list[dict[str, float]]] = {name: [] for name in documents}
        quits: dict[str, list[float]] = {name: [] for name in documents}
        toolong: dict[str, list[float]] = {name: [] for name in documents}
        homes = {name: tmp_path / f"home-{name.replace(' ', '')}" for name in documents}
        for name, home in homes.items():
            home.mkdir()
            if not options.unindexed:
                env = {**clean_environment(), "READER_HOME": str(home)}
                subprocess.run([*reader_command(), "index", str(documents[name])], env=env, check=True, capture_output=True)
        for run in range(options.runs):
            for name, path in documents.items():
                home = homes[name]
                shutil.rmtree(home / "data", ignore_errors=True)  # no reading position from the last run
                samples[name].append(measure(path, phrases[name], home))
                shutil.rmtree(home / "data", ignore_errors=True)
                quits[name].append(measure_quit(path, phrases[name], home))
                if options.toolong:
                    toolong[name].append(measure_toolong(options.toolong, path, phrases[name]))
            print(f"\rrun {run + 1}/{options.runs}", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
        sizes = {name: path.stat().st_size for name, path in documents.items()}

    def med(name: str, key: str) -> float:
        return median([sample[key] for sample in samples[name]])

    names = list(documents)
    print(f"Big documents in a 120×40 tmux pane, median of {options.runs} fresh processes ({machine()})")
    print(f"big documents from {origin}; seed: {seed.name}; {'not indexed' if options.unindexed else 'indexed beforehand'}")
    print()
    rows = []
    for key, label in (
        ("first", "first screen (start → first words shown)"),
        ("whole", "whole document read (start → no 'reading the rest')"),
        ("outline", "`o` → outline shown"),
        ("end", "`G` → status at 100 %"),
        ("echo", f"find: a letter → echoed (median of {len(WORD)})"),
        ("echo_max", f"find: a letter → echoed (slowest of {len(WORD)})"),
        ("hits_after", "find: last letter → hit count shown"),
    ):
        rows.append([label, *(ms(med(name, key)) for name in names), *(ratio(med(name, key), med("seed", key)) for name in names[1:])])
    rows.append(["quit (Ctrl+Q) while loading → exited", *(ms(median(quits[name])) for name in names), *(ratio(median(quits[name]), median(quits["seed"])) for name in names[1:])])
    if options.toolong:
        rows.append(["toolong: start → first screen", *(ms(median(toolong[name])) for name in names), *("" for _ in names[1:])])
    headers = ["what", *(f"{name} ({sizes[name] / MB:.1f} MB)" if name != "seed" else f"seed ({sizes[name] / 1024:.0f} KB)" for name in names), *(f"{name} ÷ seed" for name in names[1:])]
    print(table(headers, rows))
    print()
    counts = [[name, f"{truth[name]:,}", ", ".join(f"{int(sample['hits']):,}" for sample in samples[name])] for name in names]
    print(table(["document", f"'{WORD}' occurrences (true)", "hit count shown, each run"], counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
