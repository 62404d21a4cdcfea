"""Home: the presets, built-in and the user's; Enter trains the highlighted one."""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ...experiment.presets import (Preset, all_presets, check_preset_name, save_user_preset, user_presets)
from ...experiment.sweep_plan import parse_plan, points
from ...render.formatting import accuracy_text
from ..navigation import Edit, Playground, Runs, Sweep, Train, go
from ..playground_spec import playground_inputs
from ..widgets.scrolling import Table
from .dialogs import ConfirmScreen, FindScreen

FIRST = "first-look"
PLAYGROUND = "playground-circle"  # the Playground opens on its circle and its default network
ARCHITECTURE_WIDTH = 20  # longer ones end in "..."; the detail below spells them out


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 3] + "..."  # ASCII: fine in --ascii mode too


def rough_time(preset: Preset) -> str:
    if preset.minutes is None:
        return "?"
    return f"{preset.minutes * 60:.0f}s" if preset.minutes < 1 else f"{preset.minutes:.0f}m"


class PresetsScreen(Screen):
    CSS_PATH = "presets.tcss"
    HELP_TITLE = "Presets"
    BINDINGS = [
        Binding("enter", "run", "Train"),
        Binding("e", "edit", "Edit"),
        Binding("n", "new", "New"),
        Binding("d", "duplicate", "Duplicate"),
        Binding("delete", "remove", "Delete"),
        Binding("r", "runs", "Runs"),
        Binding("p", "playground", "Play"),
        Binding("slash", "find", "Find", key_display="/", show=False, tooltip="find a preset by its name as you type"),
        Binding("q", "app.quit", "Quit"),
        # Before the table's own home/end (a sideways scroll of a table that has none).
        Binding("home", "jump(0)", show=False, priority=True),
        Binding("end", "jump(-1)", show=False, priority=True),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Table(id="presets", cursor_type="row", zebra_stripes=True)
        yield Static("", id="detail")
        yield Footer(compact=True)  # compact: every key fits in 80 columns

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("preset", "architecture", "optimizer, lr", "expect", "time")
        self.reload()

    def on_screen_resume(self) -> None:
        saved, self.app.saved_preset = getattr(self.app, "saved_preset", None), None
        self.reload(select=saved)

    def reload(self, select: str | None = None) -> None:
        table = self.query_one(DataTable)
        current = select or (self.highlighted.key if self.presets_loaded() and self.highlighted else None)
        presets = all_presets(self.app.home)
        broken = user_presets(self.app.home)[1]
        if broken and getattr(self, "reported_broken", None) != len(broken):
            self.reported_broken = len(broken)  # once per change, not on every return to this screen
            self.notify(f"{len(broken)} user preset(s) skipped; first: {broken[0]}", severity="warning", timeout=8)
        # The quick start comes first, then the user's own presets, then the built-ins.
        presets.sort(key=lambda p: (p.key != FIRST, p.builtin, p.key))
        self.presets = presets
        table.clear()
        for preset in presets:
            name = preset.key if preset.builtin else f"* {preset.key}"
            expected = expect_cell(preset)
            optimizer = f"{preset.spec.optimizer.name} {preset.spec.optimizer.learning_rate:g}"
            if preset.sweep_varies("optimizer"):  # the base's rate would name one point of several
                names = preset.swept_optimizers()
                optimizer = f"{names.pop()} swept" if len(names) == 1 else "swept"
            architecture = clip(preset.architecture(), ARCHITECTURE_WIDTH)
            if preset.sweep_varies("model"):  # one of the shapes its runs train
                architecture = clip(preset.architecture(), ARCHITECTURE_WIDTH - 6) + " swept"
            table.add_row(name, architecture, optimizer, expected, rough_time(preset),
                          key=f"{'b' if preset.builtin else 'u'}:{preset.key}")
        row = next((i for i, p in enumerate(presets) if p.key == current), 0)
        table.move_cursor(row=row)
        self.show_detail()

    def presets_loaded(self) -> bool:
        return bool(getattr(self, "presets", None))

    @property
    def highlighted(self) -> Preset | None:
        row = self.query_one(DataTable).cursor_row
        return self.presets[row] if self.presets_loaded() and 0 <= row < len(self.presets) else None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_run()

    def show_detail(self) -> None:
        preset = self.highlighted
        if preset is None:
            return
        origin = "built-in" if preset.builtin else "your preset"
        ref = f", reproduces {preset.reference}" if preset.reference not in ("", "-") else ""
        if preset.sweep:
            ref += f"; a sweep of {len(points(preset.spec, parse_plan(preset.sweep)[0])[0])} runs: Enter runs it"
        self.query_one("#detail", Static).update(f"[b]{preset.name}[/b] ({origin}{ref})\n{preset.description}")

    def action_jump(self, row: int) -> None:
        """Home and End: the first and the last preset."""
        table = self.query_one("#presets", DataTable)
        if table.row_count:
            table.move_cursor(row=row % table.row_count)

    def action_runs(self) -> None:
        go(self, Runs())

    def action_run(self) -> None:
        if self.highlighted:
            self.open_preset(self.highlighted)

    def action_playground(self) -> None:
        """The playground on the highlighted preset when it is a problem of one or two inputs, else
        on the Playground's own default (its circle)."""
        preset = self.highlighted
        if preset is None or preset.sweep or playground_inputs(preset.spec) is None:
            preset = next((p for p in self.presets if p.key == PLAYGROUND), None)
        if preset is not None:
            go(self, Playground(preset))

    def open_preset(self, preset: Preset) -> None:
        """Train a preset: a sweep preset opens its leaderboard, a table of one or two inputs the
        playground, any other the training screen."""
        if preset.sweep:
            go(self, Sweep(preset))
        elif playground_inputs(preset.spec) is not None:
            go(self, Playground(preset))
        else:
            go(self, Train(preset))

    def action_find(self) -> None:
        """``/`` then a name: the list jumps to the first preset it names as it is typed."""
        table = self.query_one(DataTable)
        start = table.cursor_row

        def found(text: str) -> str:
            words = text.strip().lower()
            if not words:
                table.move_cursor(row=start)
                return ""
            keys = [p.key.lower() for p in self.presets]
            row = next((i for i, key in enumerate(keys) if key.startswith(words)), None)
            row = next((i for i, key in enumerate(keys) if words in key), None) if row is None else row
            if row is None:  # back where it was: a part that matched on the way is not what was asked
                table.move_cursor(row=start)
                return f"no preset has {text.strip()!r} in its name"
            table.move_cursor(row=row)
            return self.presets[row].key

        def closed(keep: bool | None) -> None:
            if not keep:
                table.move_cursor(row=start)

        self.app.push_screen(FindScreen("Find a preset (its name, or part of it):", found), closed)

    def action_edit(self) -> None:
        if self.highlighted:
            go(self, Edit(self.highlighted))

    def action_new(self) -> None:
        if self.highlighted:
            base = self.highlighted
            go(self, Edit(replace(base, key=self.free_key(base.key), name="", builtin=False, path=None)))

    def free_key(self, key: str) -> str:
        taken = {p.key for p in self.presets}
        stem = key[:56]
        candidate, number = f"{stem}-copy", 2
        while candidate in taken:
            candidate, number = f"{stem}-copy{number}", number + 1
        return candidate

    def action_duplicate(self) -> None:
        preset = self.highlighted
        if preset is None:
            return
        key = self.free_key(preset.key)
        if check_preset_name(key):
            self.notify(check_preset_name(key), severity="error")
            return
        save_user_preset(replace(preset, key=key, name=f"{preset.name} (copy)", builtin=False, path=None),
                         self.app.home)
        self.notify(f"duplicated as {key}")
        self.reload(select=key)

    def action_remove(self) -> None:
        preset = self.highlighted
        if preset is None:
            return
        if preset.builtin:
            self.notify("built-in presets cannot be deleted", severity="warning")
            return

        def done(yes: bool | None) -> None:
            if yes and preset.path is not None:
                preset.path.unlink(missing_ok=True)
                self.notify(f"deleted {preset.key}")
                self.reload()

        self.app.push_screen(ConfirmScreen(f"Delete your preset {preset.key!r}?"), done)

    def user_keys(self) -> set[str]:
        return {p.key for p in user_presets(self.app.home)[0]}


def expect_cell(preset: Preset) -> str:
    """The expected score in six cells: ``97.50%``, ``100%``, or ``R2 .98`` for a regression."""
    value = preset.expected
    if value is None:
        return "-"
    if preset.regression:
        return "R2 1.0" if value >= 0.995 else f"R2 .{round(value * 100):02d}"
    return "100%" if value >= 0.99995 else accuracy_text(value)
