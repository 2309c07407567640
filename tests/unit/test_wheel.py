"""The wheel is complete: built, installed in a fresh venv, it finds its seeds and styles.

The checkout's editable install hides a missing data file (``seeds/`` and
``styles/`` sit next to the package there), so this builds the wheel, installs
it with its dependencies in a throw-away virtualenv and runs the installed
``reader`` from a folder outside the checkout. Slow (~30–60 s): it installs
Textual and friends.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 600  # seconds for one step: pip on a loaded machine can be slow


def _run(args: list[str | os.PathLike[str]], **kwargs: object) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [os.fspath(arg) for arg in args], capture_output=True, text=True, timeout=TIMEOUT, check=False, **kwargs
    )
    if result.returncode != 0:
        pytest.fail(
            f"{' '.join(map(str, args))} failed ({result.returncode}):\n"
            f"--- stdout\n{result.stdout[-4000:]}\n--- stderr\n{result.stderr[-4000:]}"
        )
    return result


def _clean_environment(**extra: str) -> dict[str, str]:
    """The environment without anything that points Python back at the checkout."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP", "COLUMNS", "LINES"}
    }
    env.update(extra)
    return env


def test_installed_wheel_finds_its_seeds_and_styles(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    _run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", dist, ROOT],
        cwd=tmp_path,
        env=_clean_environment(),
    )
    wheels = sorted(dist.glob("reader-*.whl"))
    assert len(wheels) == 1, f"expected one wheel in {dist}, found {wheels}"

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv], env=_clean_environment())
    python = venv / "bin" / "python"
    _run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheels[0]],
        cwd=tmp_path,
        env=_clean_environment(PIP_NO_INPUT="1"),
    )

    elsewhere = tmp_path / "elsewhere"
    home = tmp_path / "home"
    elsewhere.mkdir()
    home.mkdir()
    env = _clean_environment(READER_HOME=str(home))

    # the package is imported from the venv, not from the checkout
    where = _run(
        [python, "-c", "import reader.resources as r; print(r.__file__); print(r.styles_dir())"],
        cwd=elsewhere,
        env=env,
    )
    module_file, styles = (Path(line) for line in where.stdout.splitlines())
    assert module_file.is_relative_to(venv), module_file
    assert styles.is_relative_to(venv), styles
    assert styles.parts[-3:] == ("reader", "_data", "styles"), styles
    assert (styles / "reader.tcss").is_file()

    listed = _run([venv / "bin" / "reader", "list", "--json"], cwd=elsewhere, env=env)
    documents = json.loads(listed.stdout)
    seeds = [doc for doc in documents if doc["title"].startswith("Heavyweight Voice")]
    assert len(seeds) == 1, documents
    path = Path(seeds[0]["path"])
    assert path.is_relative_to(venv), path
    assert not path.is_relative_to(ROOT), path
    assert path.parent.parts[-3:] == ("reader", "_data", "seeds"), path
    assert path.is_file()
