"""The command line: list, locate, errors as one line, and no Textual imported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import main
from tests.conftest import ROOT, SEED


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_list_json_has_the_documented_fields(capsys):
    status, out, err = run(capsys, "list", "--json")
    assert status == 0, err
    documents = json.loads(out)
    assert len(documents) == 1
    doc = documents[0]
    for key in ("id", "title", "source", "path", "format", "words", "sections"):
        assert key in doc
    assert doc["title"].startswith("Heavyweight Voice")
    assert doc["sections"] == 14
    assert doc["format"] == "text"


def test_list_table(capsys):
    status, out, _ = run(capsys, "list", str(SEED))
    assert status == 0
    assert "Heavyweight Voice" in out and "13 min" in out


def test_list_reports_skipped_files_on_stderr(capsys, tmp_path: Path):
    (tmp_path / "ok.txt").write_text("Fine\n\nA document.\n")
    (tmp_path / "bad.md").write_bytes(b"\x1f\x8b\x08" + bytes(20))
    status, out, err = run(capsys, "list", "--json", str(tmp_path))
    assert status == 0
    assert [d["title"] for d in json.loads(out)] == ["Fine"]
    assert f"reader: skipped {tmp_path / 'bad.md'}: binary file (gzip data)" in err


def test_config_library_is_used(capsys, reader_home: Path, tmp_path: Path):
    (tmp_path / "mine.md").write_text("# Mine\n\nText.\n")
    (reader_home / "config").mkdir()
    (reader_home / "config" / "config.yaml").write_text(f"library: {tmp_path}\n")
    status, out, _ = run(capsys, "list", "--json")
    assert [d["title"] for d in json.loads(out)] == ["Mine"]


@pytest.mark.parametrize(
    "args, message, code",
    [
        (["--bogus"], "reader: unrecognized arguments: --bogus (see 'reader --help')", 2),
        (["list", "/no/such/path"], "reader: no such file or folder: /no/such/path", 2),
        (["locate", "elsewhere"], "reader: argument what: invalid choice: 'elsewhere'", 2),
        (["/no/such/file.txt"], "reader: no such file or folder: /no/such/file.txt", 2),
    ],
)
def test_errors_are_one_line(capsys, args, message, code):
    status, out, err = run(capsys, *args)
    assert status == code
    assert err.startswith(message)
    assert err.count("\n") == 1
    assert out == ""


def test_unreadable_file_given_explicitly(capsys, tmp_path: Path):
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(10))
    status, _, err = run(capsys, "list", str(binary))
    assert status == 1
    assert "binary file (a PNG image)" in err
    status, _, err = run(capsys, str(binary))
    assert status == 1
    assert err.strip() == f"reader: {binary}: binary file (a PNG image)"


def test_bad_config_is_one_line(capsys, reader_home: Path):
    (reader_home / "config").mkdir()
    (reader_home / "config" / "config.yaml").write_text("theme: [1]\n")
    status, _, err = run(capsys, "list")
    assert status == 2
    assert err.count("\n") == 1 and "theme must be a theme name" in err


def test_locate(capsys, reader_home: Path):
    assert run(capsys, "locate", "config")[1].strip() == str(reader_home / "config" / "config.yaml")
    assert run(capsys, "locate", "data")[1].strip() == str(reader_home / "data")
    assert run(capsys, "locate", "index")[1].strip() == str(reader_home / "cache" / "index")


def test_version_and_python_dash_m(reader_home: Path):
    out = subprocess.run(
        [sys.executable, "-m", "reader", "--version"], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.startswith("reader 0.")


def test_core_storage_and_cli_import_no_textual():
    code = (
        "import sys, reader.core.library, reader.core.formats.html, reader.core.formats.markdown, "
        "reader.core.formats.text, reader.storage.config, reader.storage.atomic, reader.cli\n"
        "from reader.cli import main\n"
        "main(['list', '--json'])\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual',) or m.startswith('reader.ui')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, capture_output=True)


def test_import_contracts_hold():
    linter = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(linter)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken" in result.stdout


@pytest.mark.corpus
def test_list_json_on_the_messy_corpus_names_every_skip(capsys, corpus: Path):
    folder = corpus / "messy"
    status, out, err = run(capsys, "list", "--json", str(folder))
    assert status == 0
    listed = {Path(d["path"]).name for d in json.loads(out)}
    skipped = {line.split(": ")[1].rsplit("/", 1)[-1]: line.split(": ", 2)[2] for line in err.splitlines()}
    assert skipped["binary-gzip-named-as--changelog.txt"] == "binary file (gzip data)"
    assert skipped["binary-png-named-as--image.md"] == "binary file (a PNG image)"
    assert all(reason.startswith("unsupported format (.xml)") for name, reason in skipped.items() if name.endswith(".xml"))
    files = {p.name for p in folder.iterdir()}
    assert listed | set(skipped) == files
    assert not listed & set(skipped)
