"""Drive a program in a real terminal: a private tmux server per session.

Every :class:`TmuxSession` runs its own server (``tmux -L <unique name>``), so
tests never share a server with each other or with the user's own tmux. The
pane is created first (running ``sleep``) at its final size, then the program
is started in it with ``respawn-pane -k``, under ``env -u COLUMNS -u LINES``:
pytest imports readline, which exports ``COLUMNS``/``LINES`` into the process
environment and would make the app draw at 80×24 inside a 100×30 pane. A
``sh -c`` in front of it writes the program's exit status to a file.

Waits poll ``capture-pane`` every ~50 ms until a condition holds; nothing here
sleeps a fixed time hoping the program has caught up.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest

__all__ = ["POLL", "TmuxSession", "require_tmux"]

POLL = 0.05  # seconds between two looks at the pane
_CONTROL_TIMEOUT = 15  # seconds for one tmux command (a loaded machine is slow)


def require_tmux() -> str:
    """The tmux executable, or skip the calling test."""
    tmux = shutil.which("tmux")
    if tmux is None:
        pytest.skip("tmux is not installed")
    return tmux


class TmuxSession:
    """One program in one tmux pane of ``width``×``height`` cells.

    ``command`` is the program and its arguments; ``home`` becomes its
    ``READER_HOME``; ``env`` adds variables. Use as a context manager, or call
    :meth:`start` and :meth:`close`.
    """

    def __init__(
        self,
        command: Sequence[str | os.PathLike[str]],
        *,
        home: Path,
        cwd: Path | None = None,
        width: int = 100,
        height: int = 30,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.tmux = require_tmux()
        self.command = [os.fspath(part) for part in command]
        self.home = home
        self.cwd = cwd or home
        self.width = width
        self.height = height
        self.extra_env = dict(env or {})
        self.name = f"reader-test-{os.getpid()}-{uuid.uuid4().hex[:12]}"
        self.target = "main"
        self.socket_path: Path | None = None
        self.started = False
        self._workdir: Path | None = None
        self.status_file: Path | None = None

    # -- life cycle -------------------------------------------------------------------

    def __enter__(self) -> TmuxSession:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def start(self) -> None:
        """Create the server and the pane, then start the program in it."""
        self._tmux(
            "new-session", "-d", "-s", self.target, "-x", str(self.width), "-y", str(self.height),
            "-c", str(self.cwd), "sleep 600",
        )
        self.started = True
        self.socket_path = Path(self._tmux("display-message", "-p", "-t", self.target, "#{socket_path}").strip())
        # keep the pane after the program exits, so its exit can be checked
        self._tmux("set-option", "-t", self.target, "remain-on-exit", "on")
        assignments = [f"{key}={value}" for key, value in {"READER_HOME": str(self.home), **self.extra_env}.items()]
        program = shlex.join(["env", "-u", "COLUMNS", "-u", "LINES", *assignments, *self.command])
        # A shell in front of the program writes down its exit status: tmux 3.3
        # sometimes never reaps a pane's process (it stays a zombie and
        # #{pane_dead_status} stays empty), so the status file is what to trust.
        self._workdir = Path(tempfile.mkdtemp(prefix="tmux-session-"))
        self.status_file = self._workdir / "exit-status"
        script = f"{program}; echo $? > {shlex.quote(str(self.status_file))}"
        self._tmux("respawn-pane", "-k", "-t", self.target, "-c", str(self.cwd), shlex.join(["sh", "-c", script]))

    def close(self) -> None:
        """Kill the server (and with it the program) and remove its socket."""
        if not self.started:
            return
        self.started = False
        subprocess.run(
            [self.tmux, "-L", self.name, "kill-server"],
            env=self._environment(),
            capture_output=True,
            timeout=_CONTROL_TIMEOUT,
            check=False,
        )
        if self.socket_path is not None:
            self.socket_path.unlink(missing_ok=True)
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)

    # -- talking to the pane ----------------------------------------------------------

    def send_keys(self, *keys: str, literal: bool = False) -> None:
        """Send keys: tmux key names (``Tab``, ``Escape``, ``q``), or text with ``literal``."""
        self._tmux("send-keys", "-t", self.target, *(["-l"] if literal else []), *keys)

    def capture(self) -> str:
        """The text on screen now, one line per row."""
        return self._tmux("capture-pane", "-p", "-t", self.target)

    def pane_dead(self) -> bool:
        """tmux's view: the pane's terminal has closed."""
        return self._tmux("display-message", "-p", "-t", self.target, "#{pane_dead}").strip() == "1"

    def running(self) -> bool:
        """The program has not exited (no exit status written, the pane still open)."""
        return self.exit_status() is None and not self.pane_dead()

    def exit_status(self) -> int | None:
        """The program's exit status once it has exited, else None (``128+N``: killed by signal N)."""
        if self.status_file is None:
            return None
        try:
            text = self.status_file.read_text()
        except FileNotFoundError:
            return None
        return int(text) if text.strip().isdigit() else None  # None: still being written

    # -- waiting ----------------------------------------------------------------------

    def wait_for(self, text: str, timeout: float = 10) -> str:
        """Wait until ``text`` is on screen; return the screen."""
        return self._wait(lambda screen: text in screen, f"{text!r} to appear", timeout)

    def wait_gone(self, text: str, timeout: float = 10) -> str:
        """Wait until ``text`` is no longer on screen; return the screen."""
        return self._wait(lambda screen: text not in screen, f"{text!r} to go away", timeout, stop_if_dead=False)

    def wait_exit(self, timeout: float = 10) -> int:
        """Wait for the program to exit; return its exit status."""
        deadline = time.monotonic() + timeout
        while True:
            status = self.exit_status()
            if status is not None:
                return status
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"the program did not exit within {timeout} s; the screen:\n{self._framed(self.capture())}"
                )
            time.sleep(POLL)

    def _wait(
        self, done: Callable[[str], bool], what: str, timeout: float, *, stop_if_dead: bool = True
    ) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.capture()
            if done(screen):
                return screen
            if stop_if_dead and not self.running():
                screen = self.capture()  # the last frame the program left
                if done(screen):
                    return screen
                raise AssertionError(
                    f"the program exited (status {self.exit_status()}) while waiting for {what}; "
                    f"the screen:\n{self._framed(screen)}"
                )
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"timed out after {timeout} s waiting for {what}; the screen:\n{self._framed(screen)}"
                )
            time.sleep(POLL)

    # -- plumbing ---------------------------------------------------------------------

    def _framed(self, screen: str) -> str:
        rule = "-" * self.width
        return f"{rule}\n{screen.rstrip()}\n{rule}"

    def _environment(self) -> dict[str, str]:
        """The environment for tmux itself: no COLUMNS/LINES, not nested in the user's tmux."""
        env = {key: value for key, value in os.environ.items() if key not in {"COLUMNS", "LINES", "TMUX", "TMUX_PANE"}}
        env.setdefault("TERM", "xterm-256color")
        return env

    def _tmux(self, *args: str) -> str:
        result = subprocess.run(
            [self.tmux, "-L", self.name, "-f", os.devnull, *args],
            env=self._environment(),
            capture_output=True,
            text=True,
            timeout=_CONTROL_TIMEOUT,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args[:1])} failed ({result.returncode}): {result.stderr.strip()}")
        return result.stdout
