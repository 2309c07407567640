"""The tag dialog: tags typed comma-separated, each completed from the tags in use.

A tag holding a comma is typed in double quotes (``"smart city, hk"``), as the
search field's ``tag:"smart city"`` (``reader.core.tag_list``); the field starts
with such a tag quoted, so saving it untouched keeps it whole.

For one document the field starts with its tags: what is left when Enter is
pressed is what it keeps (a tag deleted from the field is taken off). For many
documents (every result of a search) the field starts empty and adds what is
typed. In both, ``-name`` takes a tag off. A tag that cannot be kept (empty, over
100 characters) is said under the field, which stays open.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label

from reader.core.organise import BadValue, clean_tag, with_tags
from reader.core.tag_list import join_tags, last_part_start, quote_tag, split_tags
from reader.core.visible import visible

__all__ = ["TagDialog", "TagEdit", "TagSuggester", "parse_tags"]


@dataclass(frozen=True, slots=True)
class TagEdit:
    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()


def parse_tags(text: str, current: tuple[str, ...] = ()) -> TagEdit:
    """What the field says to do: ``a, "b, c", -d``; ``current`` tags left out are taken off.

    BadValue if a tag is bad or a quote is not closed."""
    keep: list[str] = []
    remove: list[str] = []
    for part in split_tags(text):
        (remove if part.remove else keep).append(clean_tag(part.text))
    kept = {tag.casefold() for tag in keep}
    remove = [tag for tag in current if tag.casefold() not in kept] + remove
    return TagEdit(with_tags((), keep), with_tags((), remove))


class TagSuggester(Suggester):
    """Completes the tag being typed (after the last comma outside quotes) from ``tags``, most used first.

    A tag that must be quoted (it holds a comma) is offered once its opening quote is typed."""

    def __init__(self, tags: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.tags = tags

    async def get_suggestion(self, value: str) -> str | None:
        start = last_part_start(value)
        typed = value[start:]
        if not typed:
            return None
        try:
            written = {part.text.strip().casefold() for part in split_tags(value[:start])}
        except BadValue:
            return None
        for tag in self.tags:
            if tag.casefold() in written:
                continue
            shown = quote_tag(tag)
            if typed.startswith('"') and shown == tag:
                shown = f'"{tag}"'
            if shown.casefold().startswith(typed.casefold()) and shown.casefold() != typed.casefold():
                return value + shown[len(typed) :]
        return None


class TagDialog(ModalScreen[TagEdit | None]):
    """Tags for one document (its tags to edit) or many (tags to add); Enter saves, Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    TagDialog { align: center middle; }
    #tag-input { margin: 1 0 0 0; }
    #tag-hint { color: $text-muted; margin: 0 0 1 0; }
    """

    def __init__(self, title: str, known: list[str], current: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.heading = title
        self.known = known
        self.current = current

    def compose(self) -> ComposeResult:
        start = join_tags(self.current) + (", " if self.current else "")
        with Vertical(id="tag-dialog", classes="dialog"):
            yield Label(visible(self.heading), classes="dialog-title", markup=False)
            yield Input(start, placeholder="policy, smart city, economy/rates", id="tag-input",
                        suggester=TagSuggester(self.known), select_on_focus=False)  # typing adds, never replaces
            yield Label(
                'Commas between tags ("a, b" for one with a comma); → takes the suggestion; -name takes a tag off. '
                "Enter saves, Esc cancels.",
                id="tag-hint", markup=False,
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#tag-input")
    def submitted(self, event: Input.Submitted) -> None:
        try:
            edit = parse_tags(event.value, self.current)
        except BadValue as error:
            self.query_one("#tag-hint", Label).update(visible(str(error)))
            return
        self.dismiss(edit)

    def action_cancel(self) -> None:
        self.dismiss(None)
