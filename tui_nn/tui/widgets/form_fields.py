"""One field of the editor's form: a label, its input, a hint and its error, writing into the draft.

A ``FieldRow`` knows the dotted path of its field and holds its own input and error; every change
of the input's value is written into the draft as it happens, then announced with ``Edited`` so
the screen can check the draft. Nothing is read back from the screen later.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.markup import escape
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, TextArea

from ...experiment.draft import Draft, parse_text
from ...experiment.spec.schema import AUTO, plain_type


def widget_id(path: str, prefix: str = "f") -> str:
    """``f-data-train_size`` for the input of ``data.train_size``, ``e-...`` for its error."""
    return prefix + "-" + path.replace("[", ".").replace("]", "").replace(".", "-")


class ErrorLine(Static):
    """A field's (or layer's) first problem, shown only while there is one."""

    def __init__(self, **kwargs: Any):
        super().__init__("", classes="error field-error", **kwargs)
        self.text = ""

    def show(self, text: str) -> None:
        # Only a change is drawn: an update lays the form out again.
        if text != self.text:
            self.text = text
            self.update(escape(text))  # it quotes what was typed, which may look like markup
            self.set_class(bool(text), "shown")


class Edited(Message):
    """A field (or a layer's field) was changed and written into the draft."""

    def __init__(self, path: str):
        super().__init__()
        self.path = path


class NumberInput(Input):
    """An Input for a number: ``?`` is never part of one, so it opens the help as everywhere else."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return character != "?" and super().check_consume_key(key, character)


class ChoiceSelect(Select):
    """A Select whose open list shows its highlighted option in reverse video without colour too."""

    # The list draws no reverse video of its own: the theme's text colours swapped make the band,
    # light on dark, that stays one after the grey filter NO_COLOR applies.
    DEFAULT_CSS = """
    ChoiceSelect > SelectOverlay:nocolor > .option-list--option-highlighted {
        color: $background; background: $foreground; text-style: bold;
    }
    """


def choice_select(options: tuple, value: Any, **kwargs: Any) -> Select:
    return ChoiceSelect([(str(option), option) for option in options], value=value, allow_blank=False, compact=True,
                  **kwargs)


def field_input(path: str, value: Any, kind: Any, choices: tuple | None) -> Widget:
    """The input a field's type asks for: a choice for a choice or a switch, text for a string,
    a number input otherwise (an optional one empty for "fits the data")."""
    if plain_type(kind) is not kind:
        return NumberInput("" if value is None else str(value), placeholder=AUTO, id=widget_id(path), compact=True)
    if kind is bool or isinstance(value, bool):
        return ChoiceSelect([("true", True), ("false", False)], value=bool(value), allow_blank=False,
                            id=widget_id(path), compact=True)
    if choices:
        return choice_select(choices, value, id=widget_id(path))
    if kind is str:
        return Input(str(value), id=widget_id(path), compact=True)
    return NumberInput(str(value), id=widget_id(path), compact=True)


class FieldRow(Vertical):
    """``label  [input]  hint`` with the field's error below it (shown only while there is one)."""

    def __init__(self, draft: Draft, path: str, label: str, kind: Any, choices: tuple | None = None,
                 hint: str = "", help_text: str = "", input: Widget | None = None, wide: bool = False):
        super().__init__(classes="field-box")
        self.draft = draft
        self.path = path
        self.kind = kind
        self.label = label
        self.hint = hint
        self.help_text = help_text or hint
        self.wide = wide
        self.input = input if input is not None else field_input(path, draft.value(path), kind, choices)
        self.error = ErrorLine(id=widget_id(path, "e"))

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field wide" if self.wide else "field"):
            yield Label(self.label, classes="field-label")
            yield self.input
            if not self.wide:
                yield Label(self.hint, classes="muted hint")
        yield self.error

    def on_mount(self) -> None:
        # A watcher runs as the value changes, inside the key's own handling: the draft is never
        # behind the input, not even for a key bound to the screen that was typed right after.
        if not isinstance(self.input, TextArea):  # which writes each change itself
            self.watch(self.input, "value", self._changed, init=False)

    def _changed(self, value: Any) -> None:
        if isinstance(self.input, Input) and self.path != "description":
            value = parse_text(value, self.kind)
        self._write(value)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()  # already written, by the watcher

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()

    def _write(self, value: Any) -> None:
        # A Select announces its value when it is mounted: only a real change is an edit.
        if value != self.draft.value(self.path) or type(value) is not type(self.draft.value(self.path)):
            self.draft.set(self.path, value)
            self.post_message(Edited(self.path))



class SweepText(TextArea):
    """The ``[sweep]`` table's text. Each change is written into the draft as it happens (the
    change message would reach the screen after a key typed right behind it)."""

    def __init__(self, text: str, on_change: Callable[[str], None], **kwargs: Any):
        super().__init__(text, soft_wrap=True, tab_behavior="focus", show_line_numbers=False,
                         highlight_cursor_line=False, **kwargs)
        self.on_change = on_change

    def post_message(self, message: Message) -> bool:
        if isinstance(message, TextArea.Changed):
            self.on_change(self.text)
        return super().post_message(message)


class SweepRow(FieldRow):
    """The preset's ``[sweep]`` table as TOML text, with its first problem below it."""

    def __init__(self, draft: Draft, placeholder: str | Content, hint: str, help_text: str):
        box = SweepText(draft.sweep_text, self._write, id=widget_id("sweep"), placeholder=placeholder)
        super().__init__(draft, "sweep", "sweep", str, input=box, hint=hint, help_text=help_text)
        self.add_class("sweep-box")

    def compose(self) -> ComposeResult:
        # The text takes the form's whole width, below its label: its lines are long.
        with Horizontal(classes="field"):
            yield Label(self.label, classes="field-label")
            yield Label(self.hint, classes="muted hint")
        yield self.input
        yield self.error

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
