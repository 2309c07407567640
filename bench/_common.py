"""Shared bits of the benchmarks: statistics, a table, a tmux pane, the environment.

Benchmarks print figures; they are never tests. The machines they run on are
shared and noisy, so every benchmark measures a baseline in the same run,
interleaved with the subject, and reports medians over fresh processes and the
ratio subject / baseline.
"""

from __future__ import annotations

import os
import shlex
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
CORPUS = Path(os.environ.get("READER_CORPUS", ROOT.parent / "shared" / "corpus"))


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def ms(seconds: float) -> str:
    """Seconds as a short human figure: ``12.3 ms``, ``456 ms``, ``1.23 s``."""
    if seconds != seconds:  # NaN
        return "–"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    value = seconds * 1000
    return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"


def ratio(subject: float, baseline: float) -> str:
    if not baseline or baseline != baseline or subject != subject:
        return "–"
    return f"{subject / baseline:.2f}×"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table (readable as plain text, pasteable into docs)."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(str(cell).ljust(width) for cell, width in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def machine() -> str:
    """One line about where the figures come from."""
    try:
        load = "load %.2f %.2f %.2f" % os.getloadavg()
    except OSError:
        load = "load unknown"
    return (
        f"{os.cpu_count()} CPUs, {load}, Python {sys.version.split()[0]}, "
        f"Textual {_version('textual')}, reader {_version('reader')}"
    )


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "?"


def clean_environment(**extra: str) -> dict[str, str]:
    """The environment for a child: no COLUMNS/LINES (pytest's readline sets them), no TMUX."""
    env = {key: value for key, value in os.environ.items() if key not in {"COLUMNS", "LINES", "TMUX", "TMUX_PANE"}}
    env.setdefault("TERM", "xterm-256color")
    env.update(extra)
    return env


class TmuxPane:
    """A private tmux server with one pane, to time a program's first frame in a real terminal."""

    def __init__(self, width: int = 100, height: int = 30) -> None:
        tmux = shutil.which("tmux")
        if tmux is None:
            raise SystemExit("this benchmark needs tmux (apt-get install tmux)")
        self.tmux = tmux
        self.name = f"reader-bench-{os.getpid()}-{uuid.uuid4().hex[:10]}"
        self.width = width
        self.height = height
        self.socket: Path | None = None

    def __enter__(self) -> TmuxPane:
        self.run("new-session", "-d", "-s", "bench", "-x", str(self.width), "-y", str(self.height), "sleep 600")
        self.socket = Path(self.run("display-message", "-p", "-t", "bench", "#{socket_path}").strip())
        return self

    def __exit__(self, *exc_info: object) -> None:
        pid = self.pane_pid()
        subprocess.run([self.tmux, "-L", self.name, "kill-server"], capture_output=True, check=False)
        if self.socket is not None:
            self.socket.unlink(missing_ok=True)
        _wait_process_gone(pid)

    def run(self, *args: str) -> str:
        result = subprocess.run(
            [self.tmux, "-L", self.name, "-f", os.devnull, *args],
            env=clean_environment(),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"tmux {args[0]} failed: {result.stderr.strip()}")
        return result.stdout

    def start(self, command: Sequence[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> None:
        """Replace the pane's ``sleep`` by ``command`` (exec'd by env, so the pane's pid is the program's)."""
        assignments = [f"{key}={value}" for key, value in (env or {}).items()]
        line = shlex.join(["env", "-u", "COLUMNS", "-u", "LINES", *assignments, *command])
        args = ["respawn-pane", "-k", "-t", "bench"]
        if cwd is not None:
            args += ["-c", str(cwd)]
        self.run(*args, line)

    def capture(self) -> str:
        return self.run("capture-pane", "-p", "-t", "bench")

    def pane_pid(self) -> int | None:
        try:
            return int(self.run("display-message", "-p", "-t", "bench", "#{pane_pid}").strip())
        except (RuntimeError, ValueError):
            return None

    def wait_until(self, test, what: str = "it", timeout: float = 30, poll: float = 0.005) -> float:  # type: ignore[no-untyped-def]
        """Poll the pane until ``test(screen)`` holds; return time.monotonic() when it did (the
        clock a program's own trace uses too)."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.capture()
            if test(screen):
                return time.monotonic()
            if time.monotonic() > deadline:
                raise TimeoutError(f"{what} did not show within {timeout} s:\n{screen}")
            time.sleep(poll)

    def wait_for(self, text: str, timeout: float = 30, poll: float = 0.005) -> float:
        """Poll the pane until ``text`` shows; return time.monotonic() when it was seen."""
        return self.wait_until(lambda screen: text in screen, repr(text), timeout, poll)


def cpu_seconds(pid: int | None) -> float:
    """User + system CPU time a live process has used so far (Linux /proc), or NaN."""
    if pid is None:
        return float("nan")
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return float("nan")
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime


def _wait_process_gone(pid: int | None, timeout: float = 10) -> None:
    """Let a killed program finish exiting, so it does not eat the next run's CPU."""
    if pid is None:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return
        if state == "Z":
            return
        time.sleep(0.01)
