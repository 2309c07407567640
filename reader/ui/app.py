"""ReaderApp: the two-pane reader. Core and storage objects are handed in.

Keys: the bindings users may want elsewhere have ids, and the config's ``keys:``
gives ids other keys. The shape of that setting is checked where the file is read;
the ids, the key names and keys taken from other bindings are checked here at
start-up (``check_keys``) and reported in a notification with the config's file and
line. What passes is applied with ``App.set_keymap``, so the footer and the help
screen show the keys in force.

Theme: the one chosen in the app (palette → Theme) is remembered in the state file
and used next time; the config's ``theme:`` is used when nothing was chosen, or when
it was changed in the file after the choice (the latest decision wins).
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
import sys
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from textual.app import App, SystemCommand
from textual.notifications import SeverityLevel
from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode
from textual.keys import KEY_ALIASES, KEY_NAME_REPLACEMENTS, KEY_TO_UNICODE_NAME, Keys, key_to_character
from textual.screen import ModalScreen
from textual.theme import Theme

from reader.core.visible import visible
from reader.resources import styles_dir
from reader.storage.config import Config, KeySetting
from reader.storage.paths import Paths
from reader.storage.state import State, StateError, load_state, save_state, state_path
from reader.ui.screens.main import MainScreen
from reader.ui.widgets.document_list import DocumentList
from reader.ui.widgets.document_view import DocumentView
from reader.ui.widgets.notes_panel import NotesPanel

__all__ = ["ReaderApp", "check_keys", "known_bindings", "normalize_key", "MODIFIERS"]


class ReaderApp(App[None]):
    """A calm, keyboard-first reader for a library of documents."""

    TITLE = "reader"
    CSS_PATH = str(styles_dir() / "reader.tcss")
    COMMANDS = App.COMMANDS | {lambda: _document_commands()}  # App's: Theme, Keys, Quit, ...
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-wide")]
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("T", "light_dark", "Light or dark theme", id="light_dark", show=False),
        Binding("ctrl+p", "command_palette", "Palette", id="command_palette", show=False),
    ]

    def __init__(
        self,
        library_paths: list[Path],
        config: Config | None = None,
        paths: Paths | None = None,
        *,
        reopen_last: bool = False,
    ) -> None:
        """``reopen_last``: open the document read last, where it was (``reader`` with no arguments)."""
        super().__init__()
        self.library_paths = library_paths
        self.reopen_last = reopen_last
        self.config = config or Config()
        self.paths = paths or Paths.from_environment()
        self.keymap: dict[str, str] = {}  # binding id → keys, from the config, as applied
        self.state_file = state_path(self.paths.data_dir)
        self._remembered_theme: str | None = None

    def on_mount(self) -> None:
        # worker threads (indexing, search) hand the GIL back to the UI more often:
        # frames late by ~5 ms became ~1 ms in the shared design's measurements
        sys.setswitchinterval(0.001)
        self._apply_keys()
        self._apply_theme()
        self.theme_changed_signal.subscribe(self, self._remember_theme)

    def get_default_screen(self) -> MainScreen:
        return MainScreen(self.library_paths, self.paths.index_dir, self.paths.data_dir, reopen_last=self.reopen_last)

    # -- keys ------------------------------------------------------------------------

    def _apply_keys(self) -> None:
        if not self.config.keys:
            return
        keymap, errors, warnings = check_keys(self.config.keys, self.config.path)
        if keymap:
            self.keymap = keymap
            self.set_keymap(keymap)
        if errors:
            self.notify("\n".join(errors), title="Keys not changed", severity="error", timeout=30, markup=False)
        if warnings:
            self.notify("\n".join(warnings), title="Keys", severity="warning", timeout=20, markup=False)

    def get_system_commands(self, screen):  # type: ignore[no-untyped-def]
        yield from super().get_system_commands(screen)
        if isinstance(screen, MainScreen):
            from reader.ui.commands import binding_commands

            yield from binding_commands(self)
            yield from screen.view_commands()
        if isinstance(screen, MainScreen) and screen.skipped:
            yield SystemCommand(
                f"Skipped files ({len(screen.skipped)})",
                "The files under the library that are not in it, and why",
                screen.show_skipped,
            )
        if isinstance(screen, MainScreen) and screen.missing_notes:
            from reader.ui.screens.main_relink import show_missing

            yield SystemCommand(
                f"Notes of missing documents ({len(screen.missing_notes)})",
                "Documents with notes whose file is gone, and how to give the notes back",
                lambda: show_missing(screen),
            )
        if isinstance(screen, MainScreen) and screen.indexing:
            yield SystemCommand(
                "Stop indexing",
                "Stop updating the search index now; it goes on from there next time",
                screen.stop_indexing,
            )

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification as plain text, never markup (what it says may come from a
        file, a path, a note or an error: ``[/r/python]`` or ``[link=…]`` must show as
        written, not end the app), its controls made visible (no escape sequence
        through to the terminal). Widgets' and screens' ``notify`` come here."""
        del markup
        super().notify(
            visible(message, multiline=True), title=visible(title), severity=severity, timeout=timeout, markup=False
        )

    async def action_quit(self) -> None:
        """Quit; with a note being written and changed, only once the user says so."""
        from reader.ui.screens.note_editor import NoteEditor, discard_question

        drafts = [screen for screen in self.screen_stack if isinstance(screen, NoteEditor) and screen.changed()]
        if not drafts:
            self.exit()
            return
        if not isinstance(self.screen, NoteEditor):
            return  # the question is on screen already

        def answer(choice: tuple[bool] | None) -> None:
            if choice == (True,):
                self.exit()

        self.push_screen(discard_question("Quit without saving the note?", "Quit, and lose the note"), answer)

    def action_light_dark(self) -> None:
        """The theme's light or dark twin (textual-dark ⇄ textual-light, solarized, …)."""
        self.theme = light_dark_twin(self.theme, self.current_theme.dark, self.available_themes)

    def action_help(self) -> None:
        from reader.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.help_groups()))

    def help_groups(self) -> list[tuple[str, list[Binding]]]:
        """The bindings in force (the config's keys applied), grouped by where they work."""
        return [
            ("Everywhere", _bindings(ReaderApp, self.keymap) + _bindings(MainScreen, self.keymap)),
            *((heading, _bindings(pane, self.keymap)) for heading, pane in _PANES),
        ]

    def command_bindings(self) -> list[tuple[str, type[DOMNode] | None, Binding]]:
        """The help screen's bindings, each with the pane it works in (None: everywhere):
        the palette's commands."""
        panes = dict(_PANES)
        return [
            (heading, panes.get(heading), binding)
            for heading, bindings in self.help_groups()
            for binding in bindings
        ]

    # -- theme -----------------------------------------------------------------------

    def _apply_theme(self) -> None:
        """The theme chosen last in the app, or else the config's (see the module's docstring)."""
        try:
            state = load_state(self.state_file)
        except StateError as error:
            self.notify(f"{error}: ignored, the theme chosen last is forgotten", severity="warning", markup=False)
            state = State()
        configured = self.config.theme
        chosen = state.theme
        if chosen and state.config_theme != configured:
            # the config's theme was edited after the choice: the edit is the newer word
            chosen = None
            self._save_state(State())
        if chosen and chosen not in self.available_themes:
            self.notify(f"The theme chosen last, {chosen!r}, is not available", severity="warning", markup=False)
            chosen = None
        if chosen:
            self.theme = chosen
        elif configured:
            if configured in self.available_themes:
                self.theme = configured
            else:
                known = ", ".join(sorted(self.available_themes))
                self.notify(
                    f"Unknown theme {configured!r} in {self.config.path}; known: {known}",
                    severity="error",
                    markup=False,
                )
        self._remembered_theme = self.theme

    def _remember_theme(self, theme: Theme) -> None:
        if theme.name == self._remembered_theme:
            return  # the theme set at start-up, or no change
        self._remembered_theme = theme.name
        self._save_state(State(theme=theme.name, config_theme=self.config.theme))

    def _save_state(self, state: State) -> None:
        try:
            save_state(self.state_file, state)
        except OSError as error:
            self.notify(
                f"Could not write {self.state_file}: {error.strerror or error}", severity="warning", markup=False
            )


_TWINS = [
    ("textual-dark", "textual-light"),
    ("catppuccin-mocha", "catppuccin-latte"),
    ("solarized-dark", "solarized-light"),
    ("rose-pine", "rose-pine-dawn"),
    ("atom-one-dark", "atom-one-light"),
    ("ansi-dark", "ansi-light"),
]


def light_dark_twin(theme: str, dark: bool, available: Iterable[str]) -> str:
    """The light theme that goes with a dark one, and the other way; else Textual's own."""
    known = set(available)
    for first, second in _TWINS:
        if theme in (first, second):
            twin = second if theme == first else first
            if twin in known:
                return twin
    return "textual-light" if dark else "textual-dark"


_PANES: list[tuple[str, type[DOMNode]]] = [
    ("Library (list pane)", DocumentList),
    ("Reading (content pane)", DocumentView),
    ("Notes panel (A)", NotesPanel),
]


def _document_commands() -> type:
    """The palette's document provider, imported when the palette first opens."""
    from reader.ui.commands import DocumentCommands

    return DocumentCommands


# sideways scrolling (documents are wrapped) and Textual's own plumbing
_NOT_IN_HELP = {
    "scroll_left",
    "scroll_right",
    "page_left",
    "page_right",
    "help_quit",
    "app.focus_previous",
    "screen.copy_text",
}


def _bindings(owner: type[DOMNode], keymap: dict[str, str] | None = None) -> list[Binding]:
    """Every binding a class has, its ancestors' first as Textual merges them, ``keymap`` applied.

    A binding given other keys keeps its place among the others.
    """
    merged = _applied(owner, keymap)
    place: dict[str, int] = {}
    for binding in _all(owner._merged_bindings):  # type: ignore[arg-type]
        place.setdefault(binding.action, len(place))
    kept = [binding for binding in _all(merged) if binding.action not in _NOT_IN_HELP]
    return sorted(kept, key=lambda binding: place.get(binding.action, len(place)))


def _applied(owner: type[DOMNode], keymap: dict[str, str] | None) -> BindingsMap:
    bindings = owner._merged_bindings.copy()  # type: ignore[union-attr]
    if keymap:
        bindings.apply_keymap(keymap)
    return bindings


def _all(bindings: BindingsMap) -> list[Binding]:
    return [binding for per_key in bindings.key_to_bindings.values() for binding in per_key]


# -- the binding ids -------------------------------------------------------------------


@lru_cache(maxsize=1)
def known_bindings() -> dict[str, list[tuple[type[DOMNode], Binding]]]:
    """Every binding id in the app → where it is declared, with its default keys.

    Found by importing every screen and widget module and reading the ``BINDINGS``
    each class declares, so a new binding with an id is known without a list to keep.
    """
    from reader.ui import screens, widgets

    modules = [sys.modules[__name__]]
    for package in (screens, widgets):
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda info: info.name):
            try:
                modules.append(importlib.import_module(f"{package.__name__}.{info.name}"))
            except Exception:  # noqa: BLE001 - a module the app cannot import has no keys in force
                continue
    found: dict[str, list[tuple[type[DOMNode], Binding]]] = {}
    for module in modules:
        for owner in vars(module).values():
            if not (isinstance(owner, type) and issubclass(owner, DOMNode) and owner.__module__ == module.__name__):
                continue
            for binding in owner.__dict__.get("BINDINGS", ()):
                if isinstance(binding, Binding) and binding.id:
                    found.setdefault(binding.id, []).append((owner, binding))
    return found


def _chains() -> list[tuple[type[DOMNode], ...]]:
    """The classes whose bindings answer keys at the same time: pane, screen, app; a dialog alone."""
    dialogs = {
        owner
        for places in known_bindings().values()
        for owner, _ in places
        if issubclass(owner, ModalScreen)
    }
    return [(pane, MainScreen, ReaderApp) for _, pane in _PANES] + [
        (dialog,) for dialog in sorted(dialogs, key=lambda owner: owner.__name__)
    ]


# -- key names -------------------------------------------------------------------------

MODIFIERS = ("alt", "ctrl", "hyper", "meta", "shift", "super")  # in the order Textual names them


@lru_cache(maxsize=1)
def _key_names() -> frozenset[str]:
    """Names of keys (without modifiers) that Textual gives key events."""
    names = {key.value.rpartition("+")[2] for key in Keys if not key.value.startswith("<")}
    names.update(KEY_NAME_REPLACEMENTS.values(), KEY_TO_UNICODE_NAME, KEY_ALIASES)
    names.update(_character_key(chr(code)) for code in range(33, 127))
    try:  # the kitty keyboard protocol's keys: keypad, media, lock keys
        from textual._keyboard_protocol import FUNCTIONAL_KEYS
    except ImportError:  # pragma: no cover - a later Textual
        pass
    else:
        names.update(FUNCTIONAL_KEYS.values())
    return frozenset(name for name in names if "+" not in name and "-" not in name)


def _character_key(character: str) -> str:
    """The name Textual gives a typed character: ``a``, ``A``, ``5``, ``question_mark``, ``slash``."""
    if character.isalnum():
        return character
    name = unicodedata.name(character, character).lower().replace("-", "_").replace(" ", "_")
    return KEY_NAME_REPLACEMENTS.get(name, name)


def normalize_key(text: str) -> str:
    """A key as written in the config, as Textual names it in key events.

    ``ctrl+K`` → ``ctrl+shift+k``, ``shift+n`` → ``N``, ``}`` → ``right_curly_bracket``,
    ``shift+ctrl+Up`` → ``ctrl+shift+up``. Raises ``ValueError`` saying what is wrong.
    """
    text = text.strip()
    if not text:
        raise ValueError("an empty key")
    if any(character.isspace() for character in text):
        raise ValueError("a space inside; keys are joined with '+', e.g. ctrl+k")
    if text == "+":
        modifiers, base = [], "+"
    elif text.endswith("++"):
        modifiers, base = text[:-2].split("+"), "+"
    else:
        *modifiers, base = text.split("+")
    modifiers = [modifier.strip().lower() for modifier in modifiers]
    base = base.strip()
    for modifier in modifiers:
        if modifier not in MODIFIERS:
            if not modifier:
                raise ValueError("an empty part before a '+'")
            raise ValueError(f"{modifier!r} is not a modifier ({', '.join(MODIFIERS)})")
    if len(set(modifiers)) < len(modifiers):
        raise ValueError("a modifier given twice")
    if not base:
        raise ValueError("no key after the last '+'")
    if len(base) == 1:
        if not base.isprintable() or base.isspace():
            raise ValueError("not a key that can be typed; the space bar is 'space'")
        if base.lower() != base.upper():  # a letter with a case
            if modifiers == ["shift"]:
                return base.upper()  # typed shift+n arrives as N
            if base.isupper() and modifiers:
                modifiers.append("shift") if "shift" not in modifiers else None
                base = base.lower()
        else:
            base = _character_key(base)
    else:
        base = base.lower()
        if base not in _key_names() and key_to_character(base) is None:
            close = difflib.get_close_matches(base, _key_names(), n=1)
            raise ValueError(f"no key is named {base!r}" + (f"; did you mean {close[0]!r}?" if close else ""))
    return "+".join([*sorted(modifiers), base])


# -- checking the config's keys ----------------------------------------------------------


def check_keys(settings: Iterable[KeySetting], config_path: Path | None) -> tuple[dict[str, str], list[str], list[str]]:
    """The config's ``keys:`` → (the keymap to apply, errors, warnings), one line each.

    Errors name what was left out: a binding id the app does not have, a key name
    Textual does not know (that setting keeps its default keys). Warnings name what
    was applied but takes a key another binding answers to in the same place.
    """
    where = str(config_path) if config_path else "config"
    known = known_bindings()
    keymap: dict[str, str] = {}
    lines: dict[str, int] = {}
    errors: list[str] = []
    for setting in settings:
        prefix = f"{where}:{setting.line}: keys: "
        if setting.binding not in known:
            close = difflib.get_close_matches(setting.binding, known, n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            errors.append(f"{prefix}no binding is named {setting.binding!r} ({hint}known: {', '.join(sorted(known))})")
            continue
        keys: list[str] = []
        bad = False
        for written in setting.keys:
            try:
                key = normalize_key(written)
            except ValueError as error:
                errors.append(f"{prefix}{setting.binding}: {written!r} is not a key: {error}")
                bad = True
                continue
            if key not in keys:
                keys.append(key)
        if not bad:
            keymap[setting.binding] = ",".join(keys)
            lines[setting.binding] = setting.line
    return keymap, errors, _taken_keys(keymap, lines, where)


def _taken_keys(keymap: dict[str, str], lines: dict[str, int], where: str) -> list[str]:
    """Keys from the keymap that another binding answers to where both are in force."""
    if not keymap:
        return []
    from reader.ui.screens.help import key_label

    defaults = {
        binding_id: {key for _, binding in places for key in _keys_of(binding)}
        for binding_id, places in known_bindings().items()
    }
    messages: list[str] = []
    for chain in _chains():
        on_key: dict[str, list[Binding]] = {}
        for owner in chain:
            before = _all(owner._merged_bindings)  # type: ignore[arg-type]
            after = _all(_applied(owner, keymap))
            # a key given to one binding is taken from the others of the same class:
            # report those too (Textual's own clash report misses bindings with ids)
            kept = {id(binding) for binding in after}
            lost = [binding for binding in before if id(binding) not in kept and binding.id not in keymap]
            for binding in [*after, *lost]:
                on_key.setdefault(binding.key, []).append(binding)
        for key, bindings in on_key.items():
            for mine in bindings:
                if mine.id not in keymap or key in defaults.get(mine.id, ()):
                    continue  # not given by the config, or a key it had already
                for other in bindings:
                    if other.action == mine.action or (other.id == mine.id and other.id):
                        continue
                    name = other.id or repr(other.description or other.action)
                    message = (
                        f"{where}:{lines[mine.id]}: keys: {key_label(key)} for {mine.id} "
                        f"is also the key of {name}; only one of them can work"
                    )
                    if message not in messages:
                        messages.append(message)
    return messages


def _keys_of(binding: Binding) -> list[str]:
    """A declared binding's keys as Textual names them (``?`` → ``question_mark``)."""
    return [binding.key for binding in Binding.make_bindings([binding])]
