"""User folders, the config file and atomic writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.storage.atomic import atomic_write
from reader.storage.config import ConfigError, load_config
from reader.storage.paths import Paths


def test_reader_home_puts_everything_under_one_folder(tmp_path: Path):
    paths = Paths.from_environment({"READER_HOME": str(tmp_path)})
    assert paths.config_file == tmp_path / "config" / "config.yaml"
    assert paths.data_dir == tmp_path / "data"
    assert paths.index_dir == tmp_path / "cache" / "index"


def test_platform_folders_without_reader_home():
    paths = Paths.from_environment({})
    assert paths.config_dir.name == "reader"
    assert paths.data_dir != paths.cache_dir


def test_missing_config_is_the_default(tmp_path: Path):
    config = load_config(tmp_path / "config.yaml")
    assert config.library == ()
    assert config.theme is None


def test_valid_config(tmp_path: Path):
    path = tmp_path / "config.yaml"
    path.write_text("library:\n  - articles\n  - /abs/path\ntheme: nord\n")
    config = load_config(path)
    assert config.library == (tmp_path / "articles", Path("/abs/path"))
    assert config.theme == "nord"


@pytest.mark.parametrize(
    "text, message",
    [
        ("library: [1, 2]\n", r"config.yaml:1: library must be a folder or a list of folders"),
        ("theme: 3\n", r"config.yaml:1: theme must be a theme name"),
        ("\nthme: nord\n", r"config.yaml:2: unknown setting 'thme'"),
        ("library: [unclosed\n", r"config.yaml:2:1: not valid YAML"),
        ("- just\n- a list\n", r"expected settings"),
        ("x: !!python/object/apply:os.system ['true']\n", r"not valid YAML"),
    ],
)
def test_bad_config_names_file_and_line(tmp_path: Path, text: str, message: str):
    path = tmp_path / "config.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_config(path)


def test_atomic_write_replaces_and_leaves_no_temp_files(tmp_path: Path):
    target = tmp_path / "sub" / "file.yaml"
    atomic_write(target, "one")
    atomic_write(target, "two")
    assert target.read_text() == "two"
    assert sorted(p.name for p in target.parent.iterdir()) == ["file.yaml"]
