"""``reader tag/untag/state/star/unstar``, ``reader list --tag/--state/--favourite`` and the search fields."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.document import document_id


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


@pytest.fixture
def library(tmp_path: Path, reader_home: Path) -> Path:
    folder = tmp_path / "library"
    folder.mkdir()
    (reader_home / "config").mkdir(parents=True, exist_ok=True)
    (reader_home / "config" / "config.yaml").write_text(f"library: {folder}\n")
    texts = {
        "budget.txt": "Budget policy\n\nThe council debated the budget and the smart city plan.\n",
        "rates.txt": "Interest rates\n\nThe bank held interest rates and spoke of the budget.\n",
        "garden.txt": "Garden notes\n\nTomatoes and beans grow well in the sun.\n",
    }
    for name, text in texts.items():
        (folder / name).write_text(text)
    return folder


def listed(capsys: pytest.CaptureFixture[str], library: Path, *options: str) -> dict[str, dict]:
    status, out, err = run(capsys, "list", str(library), "--json", *options)
    assert status == 0, err
    return {Path(item["path"]).name: item for item in json.loads(out)}


def test_tag_state_and_star_show_in_list_json_and_filter_it(capsys: pytest.CaptureFixture[str], library: Path) -> None:
    budget, rates = library / "budget.txt", library / "rates.txt"
    status, out, err = run(capsys, "tag", str(budget), str(rates), "policy", "smart city")
    assert status == 0, err
    assert len(out.splitlines()) == 2 and "#policy #smart city" in out
    assert run(capsys, "state", document_id(rates), "later")[0] == 0  # by id
    assert run(capsys, "star", str(budget))[0] == 0
    assert run(capsys, "untag", str(rates), "POLICY")[0] == 0

    items = listed(capsys, library)
    assert items["budget.txt"]["tags"] == ["policy", "smart city"]
    assert items["budget.txt"]["favourite"] is True and items["budget.txt"]["state"] == "inbox"
    assert items["rates.txt"]["tags"] == ["smart city"] and items["rates.txt"]["state"] == "later"
    assert items["garden.txt"]["tags"] == [] and items["garden.txt"]["added"]
    assert set(listed(capsys, library, "--tag", "policy")) == {"budget.txt"}
    assert set(listed(capsys, library, "--tag", "Smart City")) == {"budget.txt", "rates.txt"}
    assert set(listed(capsys, library, "--state", "later")) == {"rates.txt"}
    assert set(listed(capsys, library, "--favourite")) == {"budget.txt"}
    assert run(capsys, "unstar", str(budget))[0] == 0
    assert listed(capsys, library, "--favourite") == {}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["tag", "DOC", "   "], "reader: a tag cannot be empty or only spaces\n"),
        (["tag", "DOC", "x" * 101], "characters long; at most 100\n"),
        (["state", "DOC", "reading"], "unknown state 'reading': use inbox, later, archive\n"),
        (["tag", "nosuchdoc", "x"], "reader: no document 'nosuchdoc': not a file, nor the id"),
        (["list", "--state", "done"], "unknown state 'done': use inbox, later, archive"),
    ],
)
def test_bad_tags_states_and_documents_are_one_line(
    capsys: pytest.CaptureFixture[str], library: Path, args: list[str], message: str
) -> None:
    args = [str(library / "budget.txt") if arg == "DOC" else arg for arg in args]
    status, out, err = run(capsys, *args)
    assert status != 0
    assert message in err and len(err.strip().splitlines()) == 1


def test_search_fields_find_by_tag_and_state_with_words(capsys: pytest.CaptureFixture[str], library: Path) -> None:
    budget, rates = library / "budget.txt", library / "rates.txt"
    run(capsys, "tag", str(budget), "economy/policy")
    run(capsys, "tag", str(rates), "economy")

    def found(query: str) -> set[str]:
        status, out, err = run(capsys, "search", query, str(library), "--json")
        return {Path(hit["path"]).name for hit in json.loads(out)} if status == 0 else set()

    assert found("budget") == {"budget.txt", "rates.txt"}
    assert found("budget tag:economy/policy") == {"budget.txt"}
    assert found("tag:economy") == {"budget.txt", "rates.txt"}  # nested, no words: a listing
    assert found("budget -tag:economy/policy") == {"rates.txt"}
    assert found("tag:ECONOMY garden") == set()
    run(capsys, "state", str(rates), "archive")
    assert found("budget is:archived") == {"rates.txt"}
    assert found("budget state:inbox") == {"budget.txt"}
    assert found("is:unread") == {"budget.txt", "rates.txt", "garden.txt"}
    assert found("added:>2000-01-01 budget") == {"budget.txt", "rates.txt"}
    assert found("added:<2000 budget") == set()
    status, out, err = run(capsys, "search", "budget is:done", str(library))
    assert "is:done is not known: use is:unread" in err


def test_tag_by_query_tags_every_document_the_search_finds(capsys: pytest.CaptureFixture[str], library: Path) -> None:
    status, out, err = run(capsys, "tag", "--query", "budget", "to read")
    assert status == 0, err
    items = listed(capsys, library)
    assert items["budget.txt"]["tags"] == ["to read"] and items["rates.txt"]["tags"] == ["to read"]
    assert items["garden.txt"]["tags"] == []
    assert run(capsys, "state", "--query", "tag:\"to read\"", "archive")[0] == 0
    assert set(listed(capsys, library, "--state", "archive")) == {"budget.txt", "rates.txt"}
