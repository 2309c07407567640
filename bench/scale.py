"""Scale: memory and responsiveness with 50,000 documents and a 50 MB file.

Generates, in a temporary folder (or ``--data DIR``, reused when it already holds
the same data), a library of ``--files`` small articles (a title line, a
``Source:`` line, a few paragraphs of words drawn from a 40,000-word vocabulary
with a Zipf-like spread, so the index is not trivial) spread over nested folders,
one chain of folders 40 levels deep and a few symbolic links that loop back to
folders above them; and one ``--mb`` MB plain-text book (a title, chapters,
hard-wrapped paragraphs of the same made-up words, no paragraph repeated: the text
reader drops repeated paragraphs, so the corpus's books repeated would shrink) plus
a 5 MB one made the same way, the baseline.

Every figure comes from fresh processes; peak memory is read two ways, sampled
every 50 ms: the largest single process of the command's tree (its ``VmHWM``;
``wait4``'s ``ru_maxrss`` is no use here, Linux counts in it the memory of the
benchmark's own process copied by the fork before ``exec``) and the whole tree's
resident memory (the sum of ``VmRSS`` over the process and its descendants),
because ``reader`` reads and indexes in a pool of processes.

1. ``reader list --json FOLDER``: wall time and peak memory, against
   ``find FOLDER -type f | wc -l`` plus a tiny Python script reading every
   file's bytes (runs interleaved, medians).
2. ``reader index FOLDER`` from scratch into a new ``READER_HOME``, with stderr
   on a pseudo-terminal (so it draws its progress bar, which is checked): wall
   time, peak memory, index size. Then, into another new ``READER_HOME``, the
   same command interrupted: SIGINT to its process group (what Ctrl+C in a
   terminal does) ``--interrupt-after`` seconds after its progress bar shows; how
   long it takes to exit, its status, its
   last lines (one message, no traceback); then ``reader index`` again, which
   must carry on (documents added + already indexed = all of them).
3. The app in a 100×30 tmux pane with an empty ``READER_HOME`` (so it indexes),
   on the big library, on a middle one (``--mid`` articles) and on 200 articles
   (the baseline): the time until the list shows documents, the time until a
   search typed at once answers, ``j`` pressed ``--presses`` times in the list
   (while indexing, where it still runs), each timed from the key to the
   highlight on the next document on screen (``capture-pane -e`` polled), then
   ``q`` until the process has gone; peak memory.
4. The ``--mb`` MB document opened in the app (tmux; indexed beforehand, as after
   a first opening): time to the first screen of text, ``G`` (end) and ``g``
   (top) until the status line says 100 % or 0 %, peak memory; against the 5 MB
   document measured the same way (runs interleaved, medians).

    python bench/scale.py [--files 50000] [--mb 50] [--runs 3] [--presses 30] [--data DIR]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import TmuxPane, clean_environment, machine, median, ms, ratio, table  # noqa: E402

MB = 1024 * 1024
DEEP = 40  # levels of the deepest chain of folders
SMALL_LIBRARY = 200  # articles in the baseline library of part 3
PAGE = os.sysconf("SC_PAGE_SIZE")

# -- the data ----------------------------------------------------------------------------------

COMMON = (
    "the of and to a in is that for it as was with on by he be at from his an were are which this "
    "or had not but have they one you all their she her has been its also there more when who we"
).split()
SYLLABLES = (
    "ka lo mi ren tor va sen qui dar bel nor fi gra um est pol ix tha wen zu co ran hel mos tri ad ver sul pe ong"
).split()
OUTLETS = ("Times", "Herald", "Gazette", "Review", "Post", "Courier", "Chronicle", "Observer")


class Articles:
    """Small articles of made-up words: common words often, most words rarely (Zipf-like)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        words: set[str] = set()
        while len(words) < 40_000:
            words.add("".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.choice((1, 2, 2, 2, 3, 3, 4)))))
        rare = sorted(words - set(COMMON))
        self.rng.shuffle(rare)
        self.words = COMMON + rare
        self.cum = list(itertools.accumulate(1 / (rank + 2) ** 1.05 for rank in range(len(self.words))))
        self.outlets = [f"The {word.title()} {kind}" for word, kind in zip(rare[:48], itertools.cycle(OUTLETS))]

    def text(self, number: int, markdown: bool = False) -> str:
        rng = self.rng
        count = rng.randint(150, 400)
        body = rng.choices(self.words, cum_weights=self.cum, k=count)
        title = " ".join(rng.choices(self.words[len(COMMON) :], k=rng.randint(3, 8))).title()
        paragraphs, at = [], 0
        while at < count:
            sentences = []
            for _ in range(rng.randint(2, 5)):
                length = rng.randint(6, 20)
                words = body[at : at + length]
                at += length
                if words:
                    sentences.append(" ".join(words).capitalize() + ".")
            paragraphs.append(" ".join(sentences))
        day = f"2024-{1 + number % 12:02d}-{1 + number % 28:02d}"
        head = f"# {title}" if markdown else title
        return f"{head}\n\nSource: {rng.choice(self.outlets)}\nPublished: {day}\n\n" + "\n\n".join(paragraphs) + "\n"


    def book(self, target: Path, size: int) -> int:
        """A long plain-text book of about ``size`` bytes: a title, chapters, paragraphs; no repeats."""
        rng = self.rng
        parts = [f"{' '.join(rng.choices(self.words[len(COMMON):], k=4)).title()}\n\nBy A. Writer\n\n"]
        total = len(parts[0])
        chapter = 0
        while total < size:
            chapter += 1
            chunk = [f"CHAPTER {chapter}\n"]
            for _ in range(rng.randint(20, 60)):
                words = rng.choices(self.words, cum_weights=self.cum, k=rng.randint(40, 200))
                sentences, at = [], 0
                while at < len(words):
                    length = rng.randint(6, 24)
                    sentences.append(" ".join(words[at : at + length]).capitalize() + ".")
                    at += length
                chunk.append(_fill(" ".join(sentences)))
            text = "\n\n".join(chunk) + "\n\n"
            parts.append(text)
            total += len(text.encode("utf-8"))
        data = "".join(parts).encode("utf-8")
        target.write_bytes(data)
        return len(data)


def _fill(text: str, width: int = 72) -> str:
    """Hard-wrapped lines, as plain-text books are."""
    lines, start = [], 0
    while len(text) - start > width:
        cut = text.rfind(" ", start, start + width)
        if cut <= start:
            cut = start + width
        lines.append(text[start:cut])
        start = cut + 1
    lines.append(text[start:])
    return "\n".join(lines)


def make_library(root: Path, files: int, seed: int = 1) -> dict[str, int]:
    """``files`` articles under ``root``; returns what was made."""
    articles = Articles(seed)
    root.mkdir(parents=True, exist_ok=True)
    deep_files = min(files // 10, DEEP * 5)
    chain = [root / "deep"]
    for level in range(1, DEEP + 1):
        chain.append(chain[-1] / f"level-{level:02d}")
    chain[-1].mkdir(parents=True, exist_ok=True)
    # folders: topics/NN/NN (about 20 files each), the deep chain
    spread = max(1, round((max(files - deep_files, 1) / 20) ** 0.5))
    made: set[Path] = set()
    total = 0
    for number in range(files):
        if number < deep_files:
            folder = chain[1 + number % DEEP]
        else:
            rest = number - deep_files
            folder = root / "topics" / f"{rest % spread:02d}" / f"{(rest // spread) % spread:02d}"
        if folder not in made:
            folder.mkdir(parents=True, exist_ok=True)
            made.add(folder)
        markdown = number % 10 == 9
        path = folder / f"article-{number:05d}.{'md' if markdown else 'txt'}"
        data = articles.text(number, markdown).encode("utf-8")
        path.write_bytes(data)
        total += len(data)
    # symbolic links that loop: to the library's root, to a folder above, to itself
    (root / "topics" / "00" / "back-to-root").symlink_to(Path("..") / "..")
    (chain[25] / "up-ten").symlink_to(Path(*[".."] * 10))
    (chain[DEEP] / "loop").symlink_to(Path("."))
    return {"files": files, "bytes": total, "folders": len(made) + DEEP, "deep": deep_files}


def prepare_data(folder: Path, files: int, mb: float) -> dict[str, object]:
    """The library and the big documents in ``folder``, generated unless already there."""
    stamp = folder / "STAMP.json"
    wanted = {"version": 2, "files": files, "mb": mb}
    if stamp.exists():
        found = json.loads(stamp.read_text())
        if {key: found.get(key) for key in wanted} == wanted:
            return found
    shutil.rmtree(folder / "library", ignore_errors=True)
    shutil.rmtree(folder / "small", ignore_errors=True)
    started = time.perf_counter()
    info: dict[str, object] = dict(wanted)
    info["library"] = make_library(folder / "library", files)
    info["small"] = make_library(folder / "small", SMALL_LIBRARY, seed=2)
    info["big"] = Articles(3).book(folder / "big.txt", int(mb * MB))
    info["five"] = Articles(4).book(folder / "five.txt", 5 * MB)
    info["seconds"] = time.perf_counter() - started
    stamp.write_text(json.dumps(info))
    return info


# -- measuring a process tree --------------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                ppid = int(handle.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        tree.setdefault(ppid, []).append(int(name))
    return tree


def tree_rss(pid: int) -> tuple[int, int, int]:
    """(resident bytes of ``pid`` and all its descendants, how many processes, the largest
    ``VmHWM`` among them)."""
    tree = _children()
    total, count, largest, todo = 0, 0, 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/statm", "rb") as handle:
                total += int(handle.read().split()[1]) * PAGE
            count += 1
            largest = max(largest, high_water(current))
        except (OSError, IndexError, ValueError):
            pass
        todo.extend(tree.get(current, ()))
    return total, count, largest


def high_water(pid: int) -> int:
    """A live process's peak resident memory (``VmHWM``), in bytes (0 when gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class TreeSampler:
    """Samples a process tree's resident memory every ``interval`` seconds, in a thread."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid = pid
        self.interval = interval
        self.peak = 0
        self.processes = 0
        self.largest = 0  # the largest single process's peak (VmHWM), as last seen
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()

    def sample(self) -> None:
        total, count, largest = tree_rss(self.pid)
        self.peak = max(self.peak, total)
        self.processes = max(self.processes, count)
        self.largest = max(self.largest, largest)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)


@dataclass
class Finished:
    status: int
    seconds: float
    max_rss: int  # bytes: the largest single process of the tree (VmHWM, sampled)
    tree_peak: int  # bytes: the whole tree's resident memory at its sampled peak
    processes: int
    output: bytes = b""
    signal_to_exit: float = float("nan")


def run_measured(
    command: Sequence[str],
    env: dict[str, str],
    *,
    stdout: int | None = subprocess.DEVNULL,
    tty: bool = False,
    interrupt_after: float | None = None,
    interrupt_when: Callable[[bytes], bool] | None = None,
) -> Finished:
    """Run ``command`` to its end in a new session; time it and its memory.

    With ``tty``, stderr (and stdin) is a 100×30 pseudo-terminal whose output is
    collected. With ``interrupt_after``, SIGINT goes to the whole process group
    that many seconds after ``interrupt_when(output so far)`` first holds (or after
    the start), as Ctrl+C in a terminal would.
    """
    import fcntl
    import pty
    import struct
    import termios

    master = slave = -1
    if tty:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    output = bytearray()

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            output.extend(data)

    started = time.perf_counter()
    process = subprocess.Popen(
        list(command),
        env=env,
        stdin=slave if tty else subprocess.DEVNULL,
        stdout=stdout,
        stderr=slave if tty else subprocess.PIPE,
        start_new_session=True,
    )
    reader_thread = None
    if tty:
        os.close(slave)
        reader_thread = threading.Thread(target=drain, daemon=True)
        reader_thread.start()
    elif process.stderr is not None:
        reader_thread = threading.Thread(target=lambda: output.extend(process.stderr.read()), daemon=True)
        reader_thread.start()
    signalled = float("nan")
    with TreeSampler(process.pid) as sampler:
        if interrupt_after is not None:
            ready = started
            while interrupt_when is not None and not interrupt_when(bytes(output)):
                if process.poll() is not None:
                    break
                time.sleep(0.02)
                ready = time.perf_counter()
            time.sleep(max(0.0, ready + interrupt_after - time.perf_counter()))
            if process.poll() is None:
                sampler.sample()
                signalled = time.perf_counter()
                os.killpg(process.pid, signal.SIGINT)
        if process.returncode is None:  # (poll() above may have reaped it already)
            _, status, _ = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
        ended = time.perf_counter()
    if reader_thread is not None:
        reader_thread.join(timeout=5)
    if tty:
        os.close(master)
    return Finished(
        status=process.returncode,
        seconds=ended - started,
        max_rss=sampler.largest,  # not wait4's ru_maxrss: on Linux it counts the fork before exec
        tree_peak=sampler.peak,
        processes=sampler.processes,
        output=bytes(output),
        signal_to_exit=ended - signalled,
    )


def megabytes(size: float) -> str:
    return f"{size / MB:.0f} MB" if size >= 10 * MB else f"{size / MB:.1f} MB"


def store_count(home: Path) -> int:
    """Documents in the index's document store under ``home`` (0 if none)."""
    import sqlite3

    found = list(home.rglob("documents.sqlite"))
    if not found:
        return 0
    with sqlite3.connect(f"file:{found[0]}?mode=ro", uri=True) as db:
        return int(db.execute("SELECT count(*) FROM docs").fetchone()[0])


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\x1b[=>]")
SUMMARY = re.compile(r"(\d+) added, (\d+) updated, (\d+) removed, (\d+) unchanged, (\d+) skipped")


def plain_lines(output: bytes) -> list[str]:
    """A terminal's output as the lines left once every redraw is applied (roughly)."""
    text = ANSI.sub("", output.decode("utf-8", "replace"))
    lines = []
    for line in text.split("\n"):
        line = line.rstrip("\r").split("\r")[-1]
        if line.strip():
            lines.append(line.rstrip())
    return lines


# -- 1. reader list ------------------------------------------------------------------------------

READ_EVERY_FILE = """
import sys
count = size = 0
for name in sys.stdin.buffer.read().split(b"\\0"):
    if name:
        with open(name, "rb") as handle:
            size += len(handle.read())
        count += 1
print(count, size)
"""


def part_list(reader: Path, library: Path, runs: int, work: Path) -> dict[str, list[Finished]]:
    env = clean_environment(READER_HOME=str(work / "home-list"))
    baseline = [
        "sh",
        "-c",
        'find "$1" -type f | wc -l >/dev/null && find "$1" -type f -print0 | "$2" -c "$3"',
        "sh",
        str(library),
        sys.executable,
        READ_EVERY_FILE,
    ]
    samples: dict[str, list[Finished]] = {"baseline": [], "list": []}
    listed = work / "list.json"
    for run in range(runs):
        samples["baseline"].append(run_measured(baseline, env))
        with listed.open("wb") as out:
            command = [str(reader), "list", "--json", str(library)]
            samples["list"].append(run_measured(command, env, stdout=out.fileno()))
        progress(f"1. reader list: run {run + 1}/{runs}")
    samples["documents"] = len(json.loads(listed.read_text(encoding="utf-8")))  # type: ignore[assignment]
    listed.unlink()
    return samples


# -- 2. reader index -----------------------------------------------------------------------------


@dataclass
class IndexFigures:
    full: Finished | None = None
    index_bytes: int = 0
    added: int = 0
    bar_seen: bool = False
    interrupted: Finished | None = None
    interrupt_lines: list[str] = field(default_factory=list)
    kept: int = 0
    resumed: Finished | None = None
    resumed_added: int = 0
    resumed_unchanged: int = 0


def part_index(reader: Path, library: Path, work: Path, interrupt_after: float) -> IndexFigures:
    figures = IndexFigures()
    command = [str(reader), "index", str(library)]

    home = work / "home-index"
    figures.full = run_measured(command, clean_environment(READER_HOME=str(home)), tty=True)
    lines = plain_lines(figures.full.output)
    figures.bar_seen = b"Indexing" in figures.full.output and "\u2501".encode() in figures.full.output
    found = SUMMARY.search("\n".join(lines))
    figures.added = int(found[1]) if found else 0
    figures.index_bytes = folder_size(home)
    shutil.rmtree(home, ignore_errors=True)
    progress("2. reader index: from scratch done")

    home = work / "home-interrupted"
    env = clean_environment(READER_HOME=str(home))
    figures.interrupted = run_measured(
        command, env, tty=True, interrupt_after=interrupt_after, interrupt_when=lambda out: b"Indexing" in out
    )
    figures.interrupt_lines = [line for line in plain_lines(figures.interrupted.output) if "Indexing" not in line]
    figures.kept = store_count(home)
    progress("2. reader index: interrupted")
    figures.resumed = run_measured(command, env, tty=True)
    found = SUMMARY.search("\n".join(plain_lines(figures.resumed.output)))
    if found:
        figures.resumed_added, figures.resumed_unchanged = int(found[1]), int(found[4])
    shutil.rmtree(home, ignore_errors=True)
    progress("2. reader index: carried on")
    return figures


# -- 3. the app on a library ------------------------------------------------------------------------

BACKGROUND = re.compile(r"\x1b\[(?:[0-9;]*;)?(48;5;\d+|48;2;\d+;\d+;\d+)[;m]")
RESULTS = re.compile(r"\b\d[\d,]* results?\b")
LISTED = re.compile(r"\d+ min\b")  # the second row of a document in the list


def _left(line: str) -> str:
    return line.split("\u2595", 1)[0]  # the list pane ends at its border, "▕"


def _list_lines(capture: str) -> list[str]:
    """The list pane's rows (with their colours), without the progress bar, status and footer."""
    return [_left(line) for line in capture.splitlines()[:-2] if "\u2501" not in ANSI.sub("", line)]


def _lists_documents(capture: str) -> bool:
    return any(LISTED.search(ANSI.sub("", _left(line))) for line in capture.splitlines())


def _highlighted(capture: str, colour: str) -> tuple[str, ...]:
    return tuple(ANSI.sub("", line).strip() for line in _list_lines(capture) if colour in line)


@dataclass
class AppFigures:
    name: str
    documents: int
    list_shown: float = float("nan")
    search_answered: float = float("nan")
    search_while_indexing: bool = False
    presses: list[float] = field(default_factory=list)
    presses_indexing: int = 0
    press_timeouts: int = 0
    quit_seconds: float = float("nan")
    escapes: int = 0  # extra Escapes needed because results came back after leaving the search
    high_water: int = 0
    tree_peak: int = 0
    status: str = ""


def part_app(
    reader: Path,
    library: Path,
    name: str,
    documents: int,
    home: Path,
    query: str,
    presses: int,
    search_limit: float,
    press_limit: float = 5.0,
) -> AppFigures:
    """The app on ``library`` in a 100×30 pane: list shown, a search answered, ``j`` presses, quit."""
    figures = AppFigures(name, documents)
    with TmuxPane(100, 30) as pane:

        def capture() -> str:
            return pane.run("capture-pane", "-p", "-e", "-t", "bench")

        def status() -> str:
            return ANSI.sub("", capture().splitlines()[-2]).strip()

        def wait(done: Callable[[str], bool], limit: float) -> float:
            deadline = time.perf_counter() + limit
            while time.perf_counter() < deadline:
                if done(capture()):
                    return time.perf_counter()
                time.sleep(0.005)
            return float("nan")

        started = time.perf_counter()
        pane.start([str(reader), str(library)], env={"READER_HOME": str(home), "TEXTUAL_ANIMATIONS": "none"})
        pid = pane.pane_pid()
        assert pid is not None
        with TreeSampler(pid, interval=0.1) as sampler:
            seen = wait(_lists_documents, 120)
            figures.list_shown = seen - started
            rows = _list_lines(capture())
            match = BACKGROUND.search(rows[0]) if rows else None
            colour = match[1] if match else ""

            # a search typed as soon as the list shows, answered while the library is indexed
            pane.run("send-keys", "-t", "bench", "/")
            pane.run("send-keys", "-t", "bench", "-l", query)
            seen = wait(lambda screen: bool(RESULTS.search(ANSI.sub("", screen.splitlines()[-2]))), search_limit)
            figures.search_answered = seen - started
            figures.search_while_indexing = "indexing" in status()
            # Escape leaves the search; a search still running may put its results back
            # (they are shown while the bar keeps its text): Escape again until the list is back
            for _ in range(5):
                pane.run("send-keys", "-t", "bench", "Escape")
                time.sleep(1.0)
                if not RESULTS.search(status()):
                    break
                figures.escapes += 1

            # j in the list: from the key to the highlight on the next document, on screen
            for _ in range(presses):
                before = capture()
                indexing = "\u2501" in ANSI.sub("", before)
                old = _highlighted(before, colour) if colour else tuple(_list_lines(before))
                sent = time.perf_counter()
                pane.run("send-keys", "-t", "bench", "j")
                if colour:
                    seen = wait(lambda screen: _highlighted(screen, colour) not in (old, ()), press_limit)  # noqa: B023
                else:
                    seen = wait(lambda screen: tuple(_list_lines(screen)) != old, press_limit)  # noqa: B023
                if seen != seen:
                    figures.press_timeouts += 1
                    figures.presses.append(press_limit)
                    if figures.press_timeouts >= 3:
                        break
                    continue
                figures.presses.append(seen - sent)
                figures.presses_indexing += indexing
                time.sleep(random.uniform(0.1, 0.25))
            figures.status = status()
            figures.high_water = high_water(pid)

            # quit (while indexing, if it still is): until the process has gone
            quit_at = time.perf_counter()
            pane.run("send-keys", "-t", "bench", "q")
            deadline = quit_at + 30
            while _alive(pid) and time.perf_counter() < deadline:
                time.sleep(0.01)
            if time.perf_counter() < deadline:
                figures.quit_seconds = time.perf_counter() - quit_at
        figures.tree_peak = sampler.peak
    return figures


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


# -- 4. a big document in the app -------------------------------------------------------------------


def first_words(path: Path) -> str:
    """The start of the document's first paragraph (after its chapter heading), to spot on screen."""
    with path.open(encoding="utf-8") as handle:
        head = handle.read(4000)
    paragraphs = [part.strip() for part in head.split("\n\n") if part.strip()]
    after = next(i for i, part in enumerate(paragraphs) if part.startswith("CHAPTER")) + 1
    return paragraphs[after].splitlines()[0][:24]


def part_document(reader: Path, path: Path, home: Path) -> dict[str, float]:
    """One fresh app on one document: first screen, ``G``, ``g``, peak memory."""
    marker = first_words(path)
    figures: dict[str, float] = {}
    with TmuxPane(100, 30) as pane:

        def status() -> str:
            return pane.capture().splitlines()[-2].rstrip()

        started = time.monotonic()
        pane.start([str(reader), str(path)], env={"READER_HOME": str(home), "TEXTUAL_ANIMATIONS": "none"})
        pid = pane.pane_pid()
        assert pid is not None
        with TreeSampler(pid, interval=0.1) as sampler:
            figures["open"] = pane.wait_for(marker, timeout=120) - started
            pane.run("send-keys", "-t", "bench", "Tab")  # to the content pane
            time.sleep(0.5)
            for key, pattern in (("G", r"\b100%$"), ("g", r"(^|\s)0%$")):
                sent = time.perf_counter()
                pane.run("send-keys", "-t", "bench", key)
                deadline = sent + 30
                while not re.search(pattern, status()) and time.perf_counter() < deadline:
                    time.sleep(0.005)
                figures[key] = time.perf_counter() - sent if time.perf_counter() < deadline else float("nan")
                time.sleep(0.3)
            figures["high_water"] = high_water(pid)
        figures["tree_peak"] = sampler.peak
    return figures


# -- the report ------------------------------------------------------------------------------------


def progress(text: str) -> None:
    print(f"\r\x1b[2K{text}", end="", file=sys.stderr, flush=True)


def percentile(values: Sequence[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report_list(samples: dict[str, list[Finished]]) -> None:
    base, subject = samples["baseline"], samples["list"]

    def med(runs: list[Finished], key: str) -> float:
        return median([getattr(run, key) for run in runs])

    print(f"## 1. `reader list --json` over {samples['documents']:,} documents (median of {len(subject)})")
    print()
    rows = [
        ["wall time", ms(med(base, "seconds")), ms(med(subject, "seconds")),
         ratio(med(subject, "seconds"), med(base, "seconds"))],
        ["peak RSS, largest process", megabytes(med(base, "max_rss")), megabytes(med(subject, "max_rss")), ""],
        ["peak RSS, whole tree (sampled)", megabytes(med(base, "tree_peak")), megabytes(med(subject, "tree_peak")), ""],
        ["processes", str(max(r.processes for r in base)), str(max(r.processes for r in subject)), ""],
    ]
    print(table(["what", "find + read every file", "reader list --json", "÷ baseline"], rows))
    failed = [run.status for run in subject if run.status != 0]
    if failed:
        print(f"\n**reader list exited with {failed}**")
    print()


def report_index(figures: IndexFigures, files: int) -> None:
    full, stopped, resumed = figures.full, figures.interrupted, figures.resumed
    assert full is not None and stopped is not None and resumed is not None
    carried_on = (
        figures.resumed_unchanged == figures.kept
        and figures.resumed_added + figures.resumed_unchanged == figures.added
    )
    print(f"## 2. `reader index` over {files:,} files (one run each)")
    print()
    rows = [
        ["from scratch: wall time", ms(full.seconds)],
        ["from scratch: documents added", f"{figures.added:,} (exit status {full.status})"],
        ["from scratch: peak RSS, largest process", megabytes(full.max_rss)],
        ["from scratch: peak RSS, whole tree (sampled)", f"{megabytes(full.tree_peak)} ({full.processes} processes)"],
        ["from scratch: index on disk", megabytes(figures.index_bytes)],
        ["progress bar drawn on the terminal", "yes" if figures.bar_seen else "**no**"],
        ["Ctrl+C (SIGINT to the group) after", ms(stopped.seconds - stopped.signal_to_exit)],
        ["…exit after the signal", ms(stopped.signal_to_exit)],
        ["…exit status", str(stopped.status)],
        ["…what it printed (stderr)", " / ".join(figures.interrupt_lines) or "(nothing)"],
        ["…traceback", "**yes**" if b"Traceback" in stopped.output else "none"],
        ["…documents kept (committed)", f"{figures.kept:,}"],
        ["next `reader index`: added / unchanged", f"{figures.resumed_added:,} / {figures.resumed_unchanged:,}"],
        ["…carried on (unchanged = kept, sum = all)", "yes" if carried_on else "**no**"],
        ["…its wall time", ms(resumed.seconds)],
    ]
    print(table(["what", "figure"], rows))
    print()


def report_app(runs: list[AppFigures], presses: int, search_limit: float) -> None:
    print(f"## 3. The app on a library (100×30 tmux pane, {presses} `j` presses in the list)")
    print()
    columns = [f"{run.name} ({run.documents:,})" for run in runs]
    base = runs[-1]

    def p95(run: AppFigures) -> float:
        return percentile(run.presses, 0.95)

    def cell(seconds: float, limit: float | None = None) -> str:
        if seconds != seconds:
            return f"> {ms(limit)}" if limit else "–"
        return ms(seconds)

    rows = [
        ["list shows documents"] + [cell(run.list_shown) for run in runs],
        ["start → a search typed at once answers"] + [cell(run.search_answered, search_limit) for run in runs],
        ["…while indexing"] + ["yes" if run.search_while_indexing else "no" for run in runs],
        ["`j` → screen, median"] + [ms(median(run.presses)) for run in runs],
        ["`j` → screen, p95"] + [ms(percentile(run.presses, 0.95)) for run in runs],
        ["`j` → screen, slowest"] + [ms(max(run.presses)) if run.presses else "–" for run in runs],
        ["presses timed (of which while indexing)"] + [f"{len(run.presses)} ({run.presses_indexing})" for run in runs],
        ["presses with no change within 5 s"] + [str(run.press_timeouts) for run in runs],
        ["p95 ÷ small library"] + [ratio(p95(run), p95(base)) for run in runs],
        ["results back after Escape (extra Escapes)"] + [str(run.escapes) for run in runs],
        ["quit (`q`) → process gone"] + [cell(run.quit_seconds, 30) for run in runs],
        ["peak RSS, app process (VmHWM)"] + [megabytes(run.high_water) for run in runs],
        ["peak RSS, whole tree (sampled)"] + [megabytes(run.tree_peak) for run in runs],
        ["status line at the end"] + [run.status[:40] for run in runs],
    ]
    print(table(["what", *columns], rows))
    print()


def report_documents(samples: dict[str, list[dict[str, float]]], sizes: dict[str, int]) -> None:
    runs = len(samples["big"])
    print(f"## 4. One big plain-text document in the app (100×30 tmux pane, median of {runs})")
    print()

    def med(name: str, key: str) -> float:
        return median([sample[key] for sample in samples[name]])

    rows = []
    for key, label, show in (
        ("open", "start → first screen of text", ms),
        ("G", "`G` (end) → status at 100%", ms),
        ("g", "`g` (top) → status at 0%", ms),
        ("high_water", "peak RSS, app process (VmHWM)", megabytes),
        ("tree_peak", "peak RSS, whole tree (sampled)", megabytes),
    ):
        rows.append([label, show(med("five", key)), show(med("big", key)), ratio(med("big", key), med("five", key))])
    headers = ["what", f"{sizes['five'] / MB:.0f} MB", f"{sizes['big'] / MB:.0f} MB", "big ÷ 5 MB"]
    print(table(headers, rows))
    print()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=50_000, help="articles in the big library (default 50,000)")
    parser.add_argument("--mb", type=float, default=50, help="size of the big document in MB (default 50)")
    parser.add_argument("--mid", type=int, default=5_000, help="articles in the middle library of part 3 (5,000)")
    parser.add_argument("--runs", type=int, default=3, help="fresh processes for parts 1 and 4 (default 3)")
    parser.add_argument("--presses", type=int, default=30, help="j presses per app in part 3 (default 30)")
    parser.add_argument("--search-limit", type=float, default=120, help="seconds to wait for a search's answer")
    parser.add_argument("--interrupt-after", type=float, default=5, help="seconds of indexing before Ctrl+C")
    parser.add_argument("--data", type=Path, help="keep the generated data here (reused when it matches)")
    parser.add_argument("--parts", default="1234", help="which parts to run (default 1234)")
    options = parser.parse_args()

    reader = Path(sys.executable).parent / "reader"
    if not reader.exists():
        raise SystemExit(f"no reader program at {reader}: pip install -e . first")
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="reader-scale-") as tmp:
        work = Path(tmp)
        data = options.data or work / "data"
        data.mkdir(parents=True, exist_ok=True)
        progress("generating the data…")
        info = prepare_data(data, options.files, options.mb)
        mid = data / f"mid-{options.mid}"
        if "3" in options.parts and not (data / f"mid-{options.mid}.done").exists():
            shutil.rmtree(mid, ignore_errors=True)
            make_library(mid, options.mid, seed=3)
            (data / f"mid-{options.mid}.done").write_text("done\n")
        library = data / "library"
        made = info["library"]
        assert isinstance(made, dict)

        print(f"# Scale ({machine()})")
        print()
        print(
            f"Library: {made['files']:,} articles ({made['bytes'] / MB:.0f} MB) in {made['folders']:,} folders, "
            f"{made['deep']} of them in a chain {DEEP} folders deep, 3 symbolic links looping back; "
            f"big document: {options.mb:g} MB. Generated in {info['seconds']:.0f} s."
        )
        print()
        sys.stdout.flush()

        if "1" in options.parts:
            report_list(part_list(reader, library, options.runs, work))
            sys.stdout.flush()
        if "2" in options.parts:
            report_index(part_index(reader, library, work, options.interrupt_after), options.files)
            sys.stdout.flush()
        if "3" in options.parts:
            articles = Articles(1)
            query = articles.words[len(COMMON) + 150]
            apps = []
            for name, folder, count in (
                ("big library", library, options.files),
                ("middle library", mid, options.mid),
                ("small library", data / "small", SMALL_LIBRARY),
            ):
                progress(f"3. the app on the {name}…")
                home = work / f"home-app-{count}"
                apps.append(
                    part_app(reader, folder, name, count, home, query, options.presses, options.search_limit)
                )
                shutil.rmtree(home, ignore_errors=True)
            report_app(apps, options.presses, options.search_limit)
            sys.stdout.flush()
        if "4" in options.parts:
            documents = {"five": data / "five.txt", "big": data / "big.txt"}
            home = work / "home-documents"
            for path in documents.values():  # indexed once beforehand, as after a first opening
                subprocess.run([str(reader), "index", str(path)], env=clean_environment(READER_HOME=str(home)),
                               capture_output=True, check=True)
            samples: dict[str, list[dict[str, float]]] = {name: [] for name in documents}
            for run in range(options.runs):
                for name, path in documents.items():
                    progress(f"4. {name}: run {run + 1}/{options.runs}")
                    samples[name].append(part_document(reader, path, home))
            report_documents(samples, {name: path.stat().st_size for name, path in documents.items()})
        progress("")
        print(f"All parts: {time.perf_counter() - began:.0f} s.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
