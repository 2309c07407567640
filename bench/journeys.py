"""Journeys: the installed ``reader`` on the full corpus, in a real terminal, as a person uses it.

Each journey starts the program in a private tmux pane (120×35), sends keys
through tmux and times what the person sees: polling ``capture-pane`` for
text on screen, or, where the screen cannot tell one keystroke's answer from
the previous one (search results while typing), reading the moment the app
drew it from ``READER_TRACE`` (the machine's monotonic clock, the same in
every process; the key is sent after the bench notes the clock, so the
figure includes tmux's relay of the key and the app's drawing).

Journeys (``--only`` picks some; all by default):

* ``relaunch``   the index built before: start → library listed, and start →
                 the first search's results drawn (typed as soon as the list
                 shows). Baseline: a bare Textual app's first frame.
* ``index``      a fresh index: ``reader index CORPUS`` against the app's first
                 indexing (start → indexing done), each alone and with one
                 competing CPU-bound process; ``j`` pressed in the list during
                 the app's indexing, time until the highlight moves on screen.
* ``typing``     keystroke → results drawn, letter by letter, for the queries
                 of the corpus's ``queries.tsv`` (≥ 100 keystrokes); a
                 misspelled word → "did you mean" on screen. Baseline: the
                 bare app echoing a key.
* ``cli``        ``reader index`` then the first ``reader search``; the same
                 search again as the baseline.
* ``big``        20 MB and 50 MB documents (the corpus's books concatenated):
                 first screen, ``o`` (outline), ``G`` (end), a find keystroke's
                 echo, the exact hit count of a name; ``toolong`` opening the
                 same file when it is installed (``--toolong PATH``).
* ``quit``       Ctrl+Q while the 50 MB document loads → process gone.

    python bench/journeys.py [--only relaunch,typing] [--runs 5] [--work DIR]

``--work`` keeps the indexed homes between runs (default: a folder under /tmp).
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CORPUS, TmuxPane, cpu_seconds, machine, median, ms, ratio, table  # noqa: E402

WIDTH, HEIGHT = 120, 35
BIN = Path(sys.executable).parent
READER = BIN / "reader"
BARE_TEXT = "Bare Textual app, first frame"
BARE_APP = f'''
from textual.app import App, ComposeResult
from textual.widgets import Footer, Input, Static


class Bare(App[None]):
    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Static({BARE_TEXT!r})
        yield Input()
        yield Footer()


if __name__ == "__main__":
    Bare().run()
'''
LISTED = re.compile(r"\b(\d+) documents?\b")
RESULTS = re.compile(r"\b(\d+) results?\b|No results")
BURNER = "import time\nwhile True:\n    pass\n"


def p95(values: list[float]) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


class Trace:
    """The app's ``READER_TRACE`` file: (clock, event, detail) lines."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.write_text("")

    def events(self) -> list[tuple[float, str, str]]:
        out = []
        for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
            parts = line.split("\t", 2)
            if len(parts) == 3:
                out.append((float(parts[0]), parts[1], parts[2]))
        return out

    def wait(self, event: str, detail: str | None = None, after: float = 0.0, timeout: float = 60) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for clock, name, text in self.events():
                if name == event and clock >= after and (detail is None or text == detail):
                    return clock
            time.sleep(0.005)
        raise TimeoutError(f"no {event} {detail!r} in the trace within {timeout} s")


def status_line(screen: str) -> str:
    lines = screen.rstrip("\n").split("\n")
    return lines[-2] if len(lines) >= 2 else ""


def start(pane: TmuxPane, args: list[str], home: Path, trace: Trace | None = None) -> float:
    env = {"READER_HOME": str(home), "TEXTUAL_ANIMATIONS": "none"}
    if trace is not None:
        env["READER_TRACE"] = str(trace.path)
    began = time.monotonic()
    pane.start([str(READER), *args], env=env)
    return began


def keys(pane: TmuxPane, *names: str, literal: bool = False) -> float:
    sent = time.monotonic()
    pane.run("send-keys", "-t", "bench", *(["-l"] if literal else []), *names)
    return sent


def bare_first_frame(work: Path) -> tuple[float, float]:
    """Wall and CPU seconds from start to the bare app's first frame."""
    app = work / "bare_app.py"
    app.write_text(BARE_APP)
    with TmuxPane(WIDTH, HEIGHT) as pane:
        began = time.monotonic()
        pane.start([sys.executable, str(app)])
        seen = pane.wait_until(lambda s: BARE_TEXT in s, timeout=60) - began
        return seen, cpu_seconds(pane.pane_pid())


def ensure_index(home: Path, corpus: Path) -> None:
    env = {**os.environ, "READER_HOME": str(home)}
    subprocess.run([str(READER), "index", str(corpus)], env=env, capture_output=True, check=True)


# -- relaunch ---------------------------------------------------------------------------------


def relaunch(work: Path, corpus: Path, runs: int) -> list[list[str]]:
    home = work / "indexed"
    ensure_index(home, corpus)
    bare, listed, searched, whole, bare_cpu, listed_cpu = [], [], [], [], [], []
    for run in range(runs + 1):
        b, b_cpu = bare_first_frame(work)
        trace = Trace(work / "relaunch.trace")
        with TmuxPane(WIDTH, HEIGHT) as pane:
            began = start(pane, [str(corpus)], home, trace)
            seen = pane.wait_until(lambda s: bool(LISTED.search(status_line(s))) and "Reading" not in s, timeout=60)
            cpu = cpu_seconds(pane.pane_pid())
            keys(pane, "/")
            keys(pane, "government", literal=True)
            drawn = trace.wait("search-drawn", "government", timeout=120)
            done = trace.wait("index-done", timeout=300)
        if run:  # the first run warms the disk cache
            bare.append(b)
            bare_cpu.append(b_cpu)
            listed_cpu.append(cpu)
            listed.append(seen - began)
            searched.append(drawn - began)
            whole.append(done - began)
    base = median(bare)
    return [
        ["bare Textual app: first frame", ms(base), "–", f"1.00× (CPU {ms(median(bare_cpu))})"],
        ["relaunch → library listed", ms(median(listed)), "≤ 1 s",
         f"{ratio(median(listed), base)} (CPU {ms(median(listed_cpu))})"],
        ["relaunch → first search drawn ('government')", ms(median(searched)), "≤ 1 s", ratio(median(searched), base)],
        ["relaunch → library compared with the disk", ms(median(whole)), "–", ratio(median(whole), base)],
    ]


# -- first indexing: the app against reader index ---------------------------------------------------


def cli_index(work: Path, corpus: Path) -> float:
    home = work / "fresh-cli"
    shutil.rmtree(home, ignore_errors=True)
    env = {**os.environ, "READER_HOME": str(home)}
    began = time.monotonic()
    subprocess.run([str(READER), "index", str(corpus)], env=env, capture_output=True, check=True)
    return time.monotonic() - began


def highlighted_row(pane: TmuxPane, marker: str) -> tuple[int, str]:
    """The first screen line holding the list's highlight colour, and its text."""
    screen = pane.run("capture-pane", "-e", "-p", "-t", "bench").split("\n")
    for number, line in enumerate(screen):
        if marker in line[:80]:
            return number, re.sub(r"\x1b\[[0-9;]*m", "", line)[:40]
    return -1, ""


def app_index(work: Path, corpus: Path, presses: list[float], idle: list[float]) -> float:
    """The app's first indexing, start to done; ``j`` pressed every ~0.5 s meanwhile, and 20 times after."""
    home = work / "fresh-app"
    shutil.rmtree(home, ignore_errors=True)
    trace = Trace(work / "index.trace")
    with TmuxPane(WIDTH, HEIGHT) as pane:
        began = start(pane, [str(corpus)], home, trace)
        trace.wait("listed", timeout=120)
        marker = ""
        while True:
            events = [name for _, name, _ in trace.events()]
            if "index-done" in events:
                break
            if not marker:  # the highlight's colour: the background of the first row, highlighted at start
                screen = pane.run("capture-pane", "-e", "-p", "-t", "bench").split("\n")
                first = next((line for line in screen if "•" in line[:60]), "")
                found = re.match(r"(?:\x1b\[[0-9;]*m)*", first)
                codes = re.findall(r"48;5;\d+|48;2;\d+;\d+;\d+", found.group(0) if found else "")
                marker = codes[-1] if codes else ""
            if marker:
                press_j(pane, marker, presses)
            time.sleep(0.5)
        done = trace.wait("index-done", timeout=3600) - began
        for _ in range(20):  # the baseline: the same app once indexing is over
            press_j(pane, marker, idle)
            time.sleep(0.1)
        return done


def press_j(pane: TmuxPane, marker: str, presses: list[float]) -> None:
    """Press ``j`` in the list; note the time until the highlight moved on screen."""
    before = highlighted_row(pane, marker)
    sent = keys(pane, "j")
    deadline = sent + 10
    while time.monotonic() < deadline:
        now = highlighted_row(pane, marker)
        if now != before and now[0] >= 0:
            presses.append(time.monotonic() - sent)
            return
        time.sleep(0.003)


def indexing(work: Path, corpus: Path) -> list[list[str]]:
    rows = []
    for label, burn in (("alone", False), ("with one competing CPU-bound process", True)):
        burner = subprocess.Popen([sys.executable, "-c", BURNER]) if burn else None
        try:
            cli = cli_index(work, corpus)
            presses: list[float] = []
            idle: list[float] = []
            app = app_index(work, corpus, presses, idle)
        finally:
            if burner is not None:
                burner.kill()
                burner.wait()
        rows.append([f"reader index ({label})", ms(cli), "–", "1.00×"])
        rows.append([f"app's first indexing ({label})", ms(app), "≤ 1.5×", ratio(app, cli)])
        rows.append(
            [f"`j` during it, p95 of {len(presses)} ({label})", ms(p95(presses)), "≤ 50 ms", f"median {ms(median(presses))}"]
        )
        rows.append([f"`j` after it (baseline), p95 of {len(idle)}", ms(p95(idle)), "–", f"median {ms(median(idle))}"])
    return rows


# -- typing ---------------------------------------------------------------------------------------


def queries(corpus: Path, keystrokes: int) -> list[str]:
    found = []
    with open(corpus / "queries.tsv", encoding="utf-8") as table_file:
        for row in csv.reader(table_file, delimiter="\t"):
            if not row or row[0].startswith("#") or row[0] == "query":
                continue
            text = row[0]
            if text and text.isascii() and ":" not in text and '"' not in text and len(text) <= 30:
                found.append(text.strip())
    chosen, total = [], 0
    for text in found:
        if total >= keystrokes:
            break
        chosen.append(text)
        total += len(text)
    return chosen


def bare_echo(work: Path, count: int) -> list[float]:
    app = work / "bare_app.py"
    app.write_text(BARE_APP)
    echoes = []
    with TmuxPane(WIDTH, HEIGHT) as pane:
        pane.start([sys.executable, str(app)])
        pane.wait_until(lambda s: BARE_TEXT in s, timeout=60)
        typed = ""
        for number in range(count):
            letter = "abcdefghij"[number % 10]
            typed += letter
            sent = keys(pane, letter, literal=True)
            echoes.append(pane.wait_until(lambda s, t=typed[-20:]: t in s, timeout=60) - sent)
            if len(typed) > 40:
                keys(pane, "C-u")
                pane.wait_until(lambda s, t=typed[-20:]: t not in s, timeout=60)
                typed = ""
    return echoes


def typing(work: Path, corpus: Path, keystrokes: int) -> list[list[str]]:
    home = work / "indexed"
    ensure_index(home, corpus)
    trace = Trace(work / "typing.trace")
    times: dict[int, list[float]] = {}
    every: list[float] = []
    misspelt: list[float] = []
    with TmuxPane(WIDTH, HEIGHT) as pane:
        start(pane, [str(corpus)], home, trace)
        trace.wait("index-done", timeout=600)
        for text in queries(corpus, keystrokes):
            keys(pane, "/")
            keys(pane, "C-u")  # the bar keeps the last search: empty it
            pane.wait_until(lambda s: "Search the library" in s, timeout=60)
            for length in range(1, len(text) + 1):
                typed = text[:length]
                sent = keys(pane, typed[-1], literal=True)
                if not typed.strip() or typed.endswith(" "):
                    continue  # a space changes no results
                drawn = trace.wait("search-drawn", typed, after=sent, timeout=300)
                every.append(drawn - sent)
                times.setdefault(min(length, 6), []).append(drawn - sent)
            keys(pane, "Escape")
            pane.wait_until(lambda s: "result" not in status_line(s), timeout=60)
        for word in ("goverment", "parliment", "acheive", "beleive", "tommorow"):  # in no document, nor the start of a word
            keys(pane, "/")
            keys(pane, "C-u")
            pane.wait_until(lambda s: "Search the library" in s, timeout=60)
            sent = keys(pane, word, literal=True)
            seen = pane.wait_until(lambda s: "did you mean" in status_line(s), timeout=600)
            misspelt.append(seen - sent)
            keys(pane, "Escape")
            pane.wait_until(lambda s: "did you mean" not in s, timeout=60)
    echo = bare_echo(work, 60)
    base = median(echo)
    rows = [["bare Textual app: key echo in an Input", ms(base), "–", f"p95 {ms(p95(echo))}"]]
    rows.append([f"keystroke → results drawn, p50 of {len(every)}", ms(median(every)), "–", ratio(median(every), base)])
    rows.append([f"keystroke → results drawn, p95 of {len(every)}", ms(p95(every)), "≤ 50 ms", ratio(p95(every), base)])
    for length in sorted(times):
        label = f"{length}+ letters" if length == 6 else f"{length} letter{'s' if length > 1 else ''}"
        rows.append([f"  p95 at {label} ({len(times[length])})", ms(p95(times[length])), "–", f"p50 {ms(median(times[length]))}"])
    rows.append(
        [f"misspelled word → 'did you mean' on screen, median of {len(misspelt)}", ms(median(misspelt)), "≤ 100 ms",
         f"max {ms(max(misspelt))}"]
    )
    return rows


# -- the command line ---------------------------------------------------------------------------


def cli(work: Path, corpus: Path, runs: int) -> list[list[str]]:
    home = work / "indexed"
    env = {**os.environ, "READER_HOME": str(home)}
    first, again = [], []
    for _ in range(runs):
        subprocess.run([str(READER), "index", str(corpus)], env=env, capture_output=True, check=True)
        for bucket in (first, again):
            began = time.monotonic()
            subprocess.run([str(READER), "search", "knightley", str(corpus)], env=env, capture_output=True, check=False)
            bucket.append(time.monotonic() - began)
    from reader.core.search import optimize

    while optimize.running(home / "cache" / "index"):  # a merge the updates started changes the index: let it end
        time.sleep(0.5)
    before = snapshot(home / "cache" / "index")
    subprocess.run([str(READER), "index", str(corpus)], env=env, capture_output=True, check=True)
    wrote = "nothing written" if snapshot(home / "cache" / "index") == before else "index files changed"
    return [
        ["reader search, again (baseline)", ms(median(again)), "–", "1.00×"],
        ["reader index, then the first reader search", ms(median(first)), "≤ 1 s", ratio(median(first), median(again))],
        ["reader index over the unchanged corpus", wrote, "nothing written", "–"],
    ]


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for path in folder.rglob("*"):
        if path.is_file() and not path.name.endswith(("-wal", "-shm", "UPDATE", "WRITELOCK")):
            stat = path.stat()
            out[str(path)] = (stat.st_size, stat.st_mtime_ns)
    return out


# -- big documents ---------------------------------------------------------------------------------


def big_file(work: Path, corpus: Path, megabytes: int) -> Path:
    """The corpus's books concatenated (again and again) and cut at a paragraph break at ``megabytes`` MB."""
    path = work / f"books-{megabytes}mb.txt"
    size = megabytes * 1_000_000
    if path.exists() and size <= path.stat().st_size < size + 100_000:
        return path
    books = sorted((corpus / "en-books").glob("*.txt"))
    text = "\n\n".join(book.read_text(encoding="utf-8", errors="replace") for book in books).encode("utf-8")
    whole = text * (size // len(text) + 1)
    cut = whole.find(b"\n\n", size)
    path.write_bytes(whole[: cut if cut > 0 else size])
    return path


def big(work: Path, corpus: Path, toolong: str | None) -> list[list[str]]:
    rows = []
    for megabytes in (20, 50):
        path = big_file(work, corpus, megabytes)
        text = path.read_text(encoding="utf-8", errors="replace")
        first_words = next(line for line in text.splitlines() if len(line.split()) >= 4).strip()[:25]
        expected = len(re.findall(r"knightley", text, flags=re.IGNORECASE))
        home = work / f"big-{megabytes}"
        shutil.rmtree(home, ignore_errors=True)
        with TmuxPane(WIDTH, HEIGHT) as pane:
            began = start(pane, [str(path)], home)
            shown = pane.wait_until(lambda s: first_words[:20] in s, timeout=600)
            # the rest is read in the background: `o` and `G` wait for the whole (on its start, `G`
            # goes to the end of what is read so far)
            whole = pane.wait_until(lambda s: "reading the rest" not in s, timeout=600)
            keys(pane, "Tab")
            sent = keys(pane, "o")
            outline = pane.wait_until(lambda s: "Outline ·" in s, timeout=600)
            keys(pane, "Escape")
            time.sleep(0.3)
            sent_end = keys(pane, "G")
            end = pane.wait_until(lambda s: "100%" in status_line(s), timeout=600)
            keys(pane, "C-f")
            pane.wait_until(lambda s: "Find in this document" in s, timeout=60)
            echoes = []
            for word in ("Knightle", "y"):
                sent_find = keys(pane, word, literal=True)
                echoes.append(pane.wait_until(lambda s, w=word: w in s, timeout=600) - sent_find)
            counted = pane.wait_until(lambda s: bool(re.search(r"\d+/\d+", status_line(s))), timeout=600)
            found = re.search(r"(\d+)/(\d+)", status_line(pane.capture()))
            hits = int(found.group(2)) if found else -1
            del counted
        rows.append([f"{megabytes} MB: start → first screen", ms(shown - began), "≤ 1 s", "–"])
        rows.append([f"{megabytes} MB: start → the whole document read", ms(whole - began), "–", "–"])
        rows.append([f"{megabytes} MB: `o` → outline", ms(outline - sent), "–", "–"])
        rows.append([f"{megabytes} MB: `G` → at the end", ms(end - sent_end), "–", "–"])
        rows.append([f"{megabytes} MB: find keystroke echo (slowest of 2)", ms(max(echoes)), "≤ 50 ms", "–"])
        rows.append([f"{megabytes} MB: 'Knightley' hits counted", f"{hits}", f"exact: {expected}", "–"])
        if toolong:
            # toolong opens a long file at its end (tail mode): its first screen shows the file's last lines
            last_words = next(line for line in reversed(text.splitlines()) if len(line.split()) >= 4).strip()[:20]
            with TmuxPane(WIDTH, HEIGHT) as pane:
                began = time.monotonic()
                pane.start([toolong, str(path)])
                seen = pane.wait_until(lambda s: first_words[:20] in s or last_words in s, timeout=600)
            rows.append([f"{megabytes} MB: toolong, start → first screen", ms(seen - began), "–", "–"])
    return rows


def quitting(work: Path, corpus: Path, runs: int) -> list[list[str]]:
    path = big_file(work, corpus, 50)
    gone = []
    for _ in range(runs):
        home = work / "quit"
        shutil.rmtree(home, ignore_errors=True)
        with TmuxPane(WIDTH, HEIGHT) as pane:
            start(pane, [str(path)], home)
            pane.wait_until(lambda s: "Opening" in s or "Reading" in s or "%" in s, timeout=120)
            pid = pane.pane_pid()
            sent = keys(pane, "C-q")
            while pid is not None and Path(f"/proc/{pid}").exists():
                state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
                if state == "Z" or time.monotonic() - sent > 60:
                    break
                time.sleep(0.002)
            gone.append(time.monotonic() - sent)
    return [[f"Ctrl+Q while the 50 MB document loads → gone, median of {runs}", ms(median(gone)), "≤ 0.5 s",
             f"max {ms(max(gone))}"]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="relaunch,index,typing,cli,big,quit")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keystrokes", type=int, default=120)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "reader-journeys")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--toolong", default=shutil.which("tl"), help="toolong's tl program, for comparison")
    options = parser.parse_args()
    if not READER.exists():
        raise SystemExit(f"no reader program at {READER}: pip install -e . first")
    if not (options.corpus / "queries.tsv").exists():
        print(f"no corpus at {options.corpus}: nothing to measure", file=sys.stderr)
        return 0
    options.work.mkdir(parents=True, exist_ok=True)
    # reader's bytecode compiled, as a user's first start leaves it (with PYTHONDONTWRITEBYTECODE set,
    # as on this machine, an editable install would compile every module from source at each start)
    import compileall

    import reader as package

    compileall.compile_dir(Path(package.__file__).parent, quiet=1)
    print(f"# Journeys on {options.corpus} ({machine()})\n")
    chosen = options.only.split(",")
    jobs = {
        "relaunch": lambda: relaunch(options.work, options.corpus, options.runs),
        "index": lambda: indexing(options.work, options.corpus),
        "typing": lambda: typing(options.work, options.corpus, options.keystrokes),
        "cli": lambda: cli(options.work, options.corpus, options.runs),
        "big": lambda: big(options.work, options.corpus, options.toolong),
        "quit": lambda: quitting(options.work, options.corpus, options.runs),
    }
    for name in chosen:
        rows = jobs[name]()
        print(f"## {name} ({machine()})\n")
        print(table(["journey", "figure", "target", "ratio / note"], rows))
        print(flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
