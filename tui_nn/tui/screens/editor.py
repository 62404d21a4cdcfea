"""Editor: every part of the spec as a form, validated as you type by the spec's own validation.

The form's state lives in a ``Draft``: each field's row writes its changes into it, and every check
reads the draft, never the screen. Tab and the layer keys are priority bindings, run as soon as
the key arrives, so a key typed right after one already reaches the field (or the dialog) it moved
the focus to; the keys typed before it still reach the field they were typed in.
"""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Label, Static

from ...common import paths
from ...engine.shapes import format_shape
from ...experiment.draft import Draft, DraftCheck
from ...experiment.presets import (
    Preset,
    builtin_presets,
    check_preset_name,
    save_user_preset,
)
from ...experiment.spec.data_checks import data_value, left_out, unused_data_fields
from ...experiment.spec.parse import Problem
from ...experiment.spec.schema import Spec
from ..navigation import Sweep, Train, go
from ..widgets.form_fields import Edited, ErrorLine, FieldRow
from ..widgets.layer_row import LayerList, LayerRow
from ..widgets.scrolling import Scroll
from .dialogs import ConfirmScreen, NameScreen
from .editor_problems import ProblemMarks, refusal_text, summary_text
from .editor_sections import (
    LAYERS_HINT,
    LAYERS_TITLE,
    SECTIONS,
    SOME_DATA_FIELDS,
    choice_rows,
    description_row,
    layer_help,
    optimizer_rows,
    schedule_rows,
    spec_row,
    sweep_row,
    sweep_runs_text,
)


class EditorScreen(Screen):
    CSS_PATH = "editor.tcss"
    HELP_TITLE = "Editor"
    AUTO_FOCUS = "#f-description"
    BINDINGS = [
        # Handled before the key is passed on (see the module's docstring); Tab's own description
        # is in the help's extra keys.
        Binding("tab", "app.focus_next", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", show=False, priority=True),
        # Not priority bindings: they act on every key typed before them, so they wait their turn.
        Binding("ctrl+r", "run", "Run"),
        Binding("ctrl+s", "save", "Save"),
        # Not ctrl+a / ctrl+x: a focused Input takes those (start of line, cut).
        # The layer keys are listed above the layer list (the footer has no room for them at 80 columns).
        Binding("ctrl+n", "add_layer", "Add layer", show=False, priority=True),
        Binding("ctrl+g", "remove_layer", "Remove layer", show=False, priority=True),
        Binding("alt+up,ctrl+up", "move_layer(-1)", "Layer up", show=False, priority=True),
        Binding("alt+down,ctrl+down", "move_layer(1)", "Layer down", show=False, priority=True),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, preset: Preset):
        super().__init__()
        self.preset = preset
        self.draft = Draft(preset.spec, preset.description, sweep=preset.sweep)
        self.fields: dict[str, FieldRow] = {}
        self.layer_list = LayerList(self.draft, id="layers")
        self.layers_total = Static("", id="layers-total", classes="muted")
        self.marks = ProblemMarks(self.fields, self.layer_list, ErrorLine(id="e-model-layers"))
        self.summary = Static("", id="summary")
        self.field_help = Static("", id="field-help")
        self.sweep_runs = Static("", id="sweep-runs", classes="muted")
        self.summary_shown = self.total_shown = ""
        self.check: DraftCheck | None = None
        self.problems: list[Problem] = []
        self.unchanged: tuple | None = None  # the draft as opened (or last saved)

    @property
    def layer_rows(self) -> list[LayerRow]:
        return self.layer_list.rows

    def _row(self, row: FieldRow) -> FieldRow:
        self.fields[row.path] = row
        return row

    def compose(self) -> ComposeResult:
        yield self.summary
        with Scroll(id="form", can_focus=False):
            yield self._row(description_row(self.draft))
            for title, paths in SECTIONS.items():
                yield Label(title, classes="section")
                for path in paths:
                    yield self._row(spec_row(self.draft, path))
                if title == "Data":
                    yield Label(LAYERS_TITLE, classes="section")
                    yield Label(LAYERS_HINT, classes="muted hint")
                    yield self.layer_list
                    yield self.layers_total
                    yield self.marks.layers_error
            optimizer, schedule = choice_rows(self.draft)
            yield Label("Optimizer", classes="section")
            yield self._row(optimizer)
            yield Vertical(*map(self._row, optimizer_rows(self.draft)), id="hypers")
            yield Label("Learning-rate schedule", classes="section")
            yield self._row(schedule)
            yield Vertical(*map(self._row, schedule_rows(self.draft)), id="schedule-settings")
            yield Label("Sweep", classes="section")
            yield self._row(sweep_row(self.draft))
            yield self.sweep_runs
        yield self.field_help
        yield Footer()

    def on_mount(self) -> None:
        self.draft.data_root = paths.data_root(None, self.app.home)  # a named dataset must be on the machine
        self.validate()
        self.fields["description"].input.cursor_position = 0  # show its start, not its end
        self.unchanged = self.draft.state()

    # ---- checking the draft and showing what it found ----

    @property
    def spec(self) -> Spec:
        """The spec the form makes (meaningful only while there are no problems)."""
        return self.check.spec

    def validate(self, whole: bool = False) -> None:
        """The draft checked (``whole``: every point of its sweep too) and what was found shown."""
        self.check = self.draft.check(whole)
        self.problems = self.check.problems
        path = bool(self.spec.data.path)
        # The download switch applies to a named dataset that is not bundled; a folder replaces
        # the named dataset, so its choice is greyed out while a folder is set.
        self.fields["data.dataset"].input.disabled = path
        self.fields["data.download"].input.disabled = path or self.spec.data.dataset in ("mnist", "digits")
        self.show_data_fields()
        self.marks.show(self.problems)
        self.show_shapes()
        self.sweep_runs.update(sweep_runs_text(self.draft, self.check))
        self.show_summary(summary_text(self.problems, self.preset.key, self.check.warnings, self.check.sweep_runs))

    def show_data_fields(self) -> None:
        """Data fields only for data that reads them (a CSV's target, a generated set's noise, an image's
        augmentation);
        one set to a value, or with a problem, stays in view to be fixed, and the focused one stays."""
        unused = unused_data_fields(self.spec)
        marked = {problem.path for problem in self.problems}
        for key in SOME_DATA_FIELDS:
            path = f"data.{key}"
            row = self.fields[path]
            focused = self.focused is not None and row in self.focused.ancestors_with_self
            shown = key not in unused or not left_out(key, data_value(self.spec.data, key)) or path in marked or focused
            if row.display != shown:
                row.display = shown

    def show_summary(self, text: str) -> None:
        if text != self.summary_shown:
            self.summary.update(text)
            self.summary_shown = text

    def show_shapes(self) -> None:
        """Each layer's output shape and parameters, and the total; layers past the first that does
        not fit (or any, while a layer's field is invalid) show nothing."""
        summaries = self.check.layers
        for index, row in enumerate(self.layer_rows):
            layer = summaries[index] if index < len(summaries) else None
            row.show_shape(f"{layer.shape_text} {layer.parameters:,}p" if layer else "")
        total = ""
        if self.check.all_layers_fit:
            total = (f"input {format_shape(self.check.input_shape)}, "
                     f"{sum(layer.parameters for layer in summaries):,} parameters in all")
        if total != self.total_shown:
            self.layers_total.update(total)
            self.total_shown = total

    async def on_edited(self, event: Edited) -> None:
        if event.path == "optimizer.name":
            await self.show_settings("hypers", optimizer_rows(self.draft))
        elif event.path == "training.schedule.name":
            await self.show_settings("schedule-settings", schedule_rows(self.draft))
        self.validate()
        if event.path == "sweep":
            self.show_sweep_end()

    def show_sweep_end(self) -> None:
        """The sweep is the form's last field: its text, error and run count all in view as it grows."""
        self.call_after_refresh(self.query_one("#form").scroll_end, animate=False)

    async def show_settings(self, container_id: str, rows: list[FieldRow]) -> None:
        """Another optimizer or schedule: exactly its own settings."""
        container = self.query_one(f"#{container_id}", Vertical)
        for old in container.children:
            self.fields.pop(getattr(old, "path", ""), None)
        await container.remove_children()
        await container.mount_all(map(self._row, rows))

    def on_descendant_focus(self, event) -> None:
        """The focused field's whole help (the hint beside it is cut to fit) above the footer."""
        self.field_help.update(self.help_for(event.widget))
        if event.widget is self.fields["sweep"].input:
            self.show_sweep_end()

    def help_for(self, widget: Widget) -> str:
        index = self.layer_list.index_of(widget)
        if index is not None:
            row = self.layer_rows[index]
            key = next((row.key_of(node) for node in widget.ancestors_with_self if row.key_of(node)), None)
            return layer_help(index, key) if key else ""
        node = widget
        while node is not None and not isinstance(node, FieldRow):
            node = node.parent
        return node.help_text if node is not None else ""

    # ---- the layer list ----

    def focused_layer(self) -> int:
        index = self.layer_list.index_of(self.focused)
        return index if index is not None else max(len(self.layer_rows) - 2, 0)

    def focus_layer(self, index: int, key: str = "type") -> None:
        """Focus stays in the list: on ``key`` (else the type) of layer ``index``. Set at once
        (``Widget.focus`` would wait its turn behind the keys already typed)."""
        index = min(max(index, 0), len(self.layer_rows) - 1)
        inputs = self.layer_rows[index].inputs
        self.set_focus(inputs.get(key, inputs["type"]))

    async def action_add_layer(self) -> None:
        """A new layer below the focused one, focused on its units: what is typed next is its width.
        Keys typed meanwhile wait, as this runs when the key arrives."""
        index = self.focused_layer() + 1
        with self.app.batch_update():  # the form is laid out once, with the row, its focus and shapes
            await self.layer_list.add(index)
            self.focus_layer(index, "units")
            self.validate()

    def action_remove_layer(self) -> None:
        """Asks first: a removed layer's settings would be lost."""
        if len(self.layer_rows) <= 1:
            self.notify("a network needs at least one layer", severity="warning")
            return
        index = self.focused_layer()
        label = self.draft.layers[index].label()

        async def answered(yes: bool | None) -> None:
            if yes:
                await self.layer_list.remove(index)
                self.validate()
            self.focus_layer(index)

        self.app.push_screen(ConfirmScreen(f"Remove layer {index + 1} ({label})?"), answered)

    def action_move_layer(self, step: int) -> None:
        index = self.focused_layer()
        inside = self.layer_list.index_of(self.focused) is not None
        if self.layer_list.move(index, step):
            if not inside:
                self.focus_layer(index + step)
            elif self.focused is not None:
                self.call_after_refresh(self.focused.scroll_visible)
            self.validate()

    # ---- actions ----

    def refuse(self, what: str) -> bool:
        """Says why at the top and takes the cursor to the first problem's field (a notice in the
        corner would cover the field errors). Every point of a sweep is checked here."""
        self.validate(whole=True)
        if not self.problems:
            return False
        first = self.problems[0]
        self.show_summary(refusal_text(what, self.problems))
        field = self.marks.input_for(first.path)
        if field is not None:
            self.set_focus(field)
        line = self.marks.line_for(first.path)
        if line is not None:
            line.scroll_visible()
        return True

    def edited_preset(self, key: str) -> Preset:
        """The form as a user preset, with the sweep typed (or none). Its time is unknown until it
        runs (a copied estimate would be another preset's); the reference and expected accuracy
        stay only while the spec and its sweep do."""
        unchanged = self.spec == self.preset.spec and self.check.sweep == (self.preset.sweep or None)
        description = self.draft.description.strip()
        if not unchanged and description == self.preset.description.strip():
            # the source's words would describe another experiment: say what this one trains
            made = replace(self.preset, spec=self.spec, sweep=self.check.sweep)
            description = made.spec_summary()
        return replace(self.preset, key=key, name=key if not self.preset.name or not unchanged else self.preset.name,
                       description=description,
                       spec=self.spec, sweep=self.check.sweep, builtin=False, path=None, minutes=None,
                       reference=self.preset.reference if unchanged else "",
                       expected=self.preset.expected if unchanged else None)

    def action_run(self) -> None:
        """Trains the spec once, or every point of the sweep typed below it (on the sweep screen)."""
        if not self.refuse("run"):
            preset = self.edited_preset(self.preset.key)
            go(self, Sweep(preset) if preset.sweep else Train(preset))

    def action_save(self) -> None:
        if self.refuse("save"):
            return
        builtin_keys = {p.key for p in builtin_presets()}

        def check(name: str) -> str | None:
            if name in builtin_keys:
                return "a built-in preset has that name; choose another"
            return check_preset_name(name)

        def done(name: str | None) -> None:
            if name:
                path = save_user_preset(self.edited_preset(name), self.app.home)
                self.app.saved_preset = name
                self.notify(f"saved {path}")
                self.unchanged = self.draft.state()
                self.app.pop_screen()

        initial = "" if self.preset.builtin else self.preset.key
        self.app.push_screen(NameScreen("Save as preset (a plain file name):", initial, check), done)

    def action_back(self) -> None:
        """Asks before discarding changes."""
        if self.unchanged is None or self.draft.state() == self.unchanged:
            self.app.pop_screen()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.app.pop_screen()

        self.app.push_screen(ConfirmScreen("Discard your changes to this preset?"), answered)
