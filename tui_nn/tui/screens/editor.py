"""Editor: every part of the spec as a form, validated as you type by the spec's own validation."""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input, Label, Select, Static

from ...engine.optimizers import REGISTRY
from ...engine.schedules import SCHEDULE_SETTINGS
from ...experiment.presets import Preset, builtin_presets, check_preset_name, save_user_preset
from ...engine.shapes import PADDINGS, format_shape
from ...experiment.architecture import input_shape_of, summarize
from ...data import DatasetError, FolderSummary, peek_folder
from ...experiment.spec.schema import (AUTO, DATASET_IMAGE, DATASET_SHAPES, LAYER_FIELDS, LAYER_TYPES, LayerSpec,
    field_help, field_info, plain_type)
from ...experiment.spec.parse import Problem, check_spec, parse_spec, spec_to_dict
from ...experiment.spec.dotted import set_dotted

SECTIONS = {
    "Data": ["data.dataset", "data.download", "data.path", "data.train_size", "data.validation_size",
             "data.test_size", "data.subset", "data.normalization", "data.augment.expand", "data.augment.shift",
             "data.augment.rotate"],
    "Loss and initializer": ["model.loss", "model.init", "model.bias_init"],
    "Regularization": ["regularization.l1", "regularization.l2", "regularization.l2_lambda",
                       "regularization.noise_eta", "regularization.noise_gamma"],
    "Training": ["training.epochs", "training.batch_size", "training.monitor", "training.dtype",
                 "training.early_stopping.patience", "training.early_stopping.min_delta",
                 "training.early_stopping.restore_best", "seed"],
}
LAYER_ACTIVATIONS = ("relu", "sigmoid", "tanh", "leaky_relu", "linear", "softmax")
LAYER_KEYS = ("type", "units", "activation", "filters", "kernel", "stride", "padding", "size", "rate", "momentum")
INTEGER_KEYS = ("units", "filters", "kernel", "stride", "size")


def widget_id(path: str, prefix: str = "f") -> str:
    return prefix + "-" + path.replace("[", ".").replace("]", "").replace(".", "-")


def parse_text(text: str, kind: Any) -> Any:
    """Numbers typed into an Input; anything unparseable is passed on so validation can name it.
    An optional field left empty is None (it fits the data)."""
    text = text.strip()
    if plain_type(kind) is not kind:
        if text in ("", AUTO):
            return None
        kind = plain_type(kind)
    if kind is str:
        return text
    try:
        return int(text) if kind is int else float(text)
    except ValueError:
        return text


class NumberInput(Input):
    """An Input for a number: ``?`` is never part of one, so it opens the help as everywhere else."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return character != "?" and super().check_consume_key(key, character)


def field_widget(path: str, value: Any, kind: Any, choices: tuple | None) -> Widget:
    if plain_type(kind) is not kind:  # optional: empty means "fits the data"
        return NumberInput("" if value is None else str(value), placeholder=AUTO, id=widget_id(path), compact=True)
    if kind is bool or isinstance(value, bool):
        return Select([("true", True), ("false", False)], value=bool(value), allow_blank=False, id=widget_id(path),
                      compact=True)
    if choices:
        return Select([(c, c) for c in choices], value=value, allow_blank=False, id=widget_id(path),
                      compact=True)
    if kind is str:
        return Input(str(value), id=widget_id(path), compact=True)
    return NumberInput(str(value), id=widget_id(path), compact=True)


def field_row(path: str, label: str, value: Any, kind: type, choices: tuple | None = None, hint: str = "") -> Widget:
    return Vertical(
        Horizontal(Label(label, classes="field-label"), field_widget(path, value, kind, choices),
                   Label(hint, classes="muted hint"), classes="field"),
        Static("", id=widget_id(path, "e"), classes="error field-error"),
        classes="field-box")


class EditorScreen(Screen):
    CSS_PATH = "editor.tcss"
    HELP_TITLE = "Editor"
    BINDINGS = [
        Binding("ctrl+r", "run", "Run"),
        Binding("ctrl+s", "save", "Save"),
        # Not ctrl+a / ctrl+x: a focused Input takes those (start of line, cut).
        # The layer keys are listed above the layer list (the footer has no room for them at 80 columns).
        Binding("ctrl+n", "add_layer", "Add layer", show=False),
        Binding("ctrl+g", "remove_layer", "Remove layer", show=False),
        Binding("alt+up,ctrl+up", "move_layer(-1)", "Layer up", show=False),
        Binding("alt+down,ctrl+down", "move_layer(1)", "Layer down", show=False),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, preset: Preset):
        super().__init__()
        self.preset = preset
        self.base = spec_to_dict(preset.spec)
        self.layer_specs = [dict(layer) for layer in self.base["model"]["layers"]]
        self.problems: list[Problem] = []
        self.generation = 0  # layer widgets are rebuilt with fresh ids each time
        # What the per-choice sections currently show; a Select posts Changed when it is mounted,
        # so rebuilding only on a real change keeps a rebuild from triggering another.
        self.shown_choice: dict[str, str] = {}
        self.folders: dict[tuple, FolderSummary | DatasetError] = {}
        self.unchanged: tuple | None = None  # the form as opened (or last saved)
        self.image_shape: tuple[int, int] | None = DATASET_IMAGE

    def compose(self) -> ComposeResult:
        yield Static("", id="summary")
        with VerticalScroll(id="form"):
            yield Vertical(Horizontal(Label("description", classes="field-label"),
                                      Input(self.preset.description, id="f-description", compact=True,
                                            placeholder="what this preset shows"),
                                      classes="field wide"), classes="field-box")
            for title, fields in SECTIONS.items():
                yield Label(title, classes="section")
                for path in fields:
                    kind, meta = field_info(path)
                    yield field_row(path, path.split(".")[-1], self.current(path), kind, meta.get("choices"),
                                    meta.get("help", ""))
                if title == "Data":
                    yield Label("Model layers (ctrl+n add, ctrl+g remove, alt+up/down or ctrl+up/down move)",
                                classes="section")
                    yield Label("conv2d: f filters, k kernel, s stride; pooling: k window, s stride",
                                classes="muted hint")
                    yield Vertical(id="layers")
                    yield Static("", id="layers-total", classes="muted")
                    yield Static("", id="e-model-layers", classes="error field-error")
            yield Label("Optimizer", classes="section")
            yield field_row("optimizer.name", "name", self.base["optimizer"]["name"], str, tuple(REGISTRY))
            yield Vertical(id="hypers")
            yield Label("Learning-rate schedule", classes="section")
            yield field_row("training.schedule.name", "schedule", self.base["training"]["schedule"]["name"], str,
                            tuple(SCHEDULE_SETTINGS))
            yield Vertical(id="schedule-settings")
        yield Static("", id="field-help")
        yield Footer()

    async def on_mount(self) -> None:
        await self.rebuild_layers()
        await self.rebuild_settings("hypers", "optimizer", self.base["optimizer"])
        await self.rebuild_settings("schedule-settings", "training.schedule", self.base["training"]["schedule"])
        self.validate()
        self.query_one("#f-description", Input).cursor_position = 0  # show its start, not its end
        self.unchanged = self.form_state()

    def form_state(self) -> tuple:
        """Everything the form holds, to tell whether anything was changed."""
        return self.collect(), self.query_one("#f-description", Input).value

    def current(self, path: str) -> Any:
        """The preset's value of a field; None for one it leaves out (a size that fits the data)."""
        node: Any = self.base
        for key in path.split("."):
            if key not in node:
                return None
            node = node[key]
        return node

    # ---- layers and per-choice settings ----

    async def rebuild_layers(self) -> None:
        self.generation += 1
        container = self.query_one("#layers", Vertical)
        await container.remove_children()
        rows = [Vertical(Horizontal(*self.layer_widgets(index, layer), classes="layer"),
                         Static("", id=widget_id(f"model.layers[{index}]", "e"), classes="error field-error"),
                         classes="layer-box")
                for index, layer in enumerate(self.layer_specs)]
        await container.mount_all(rows)

    def layer_widgets(self, index: int, layer: dict[str, Any]) -> list[Widget]:
        """One row: number, type, the type's own fields (short labels: f filters, k kernel,
        s stride), then what the layer outputs and how many numbers it trains."""
        kind = layer.get("type", "dense")
        defaults = LayerSpec()
        prefix = f"layer{self.generation}-{index}"

        def number(key: str, default: Any, label: str = "") -> list[Widget]:
            box = NumberInput(str(layer.get(key, default)), id=f"{prefix}-{key}", classes=f"layer-{key} layer-number",
                        compact=True)
            return ([Label(label, classes="layer-label")] if label else []) + [box]

        def choice(key: str, options: tuple[str, ...], default: str) -> list[Widget]:
            return [Select([(o, o) for o in options], value=layer.get(key, default), allow_blank=False,
                           id=f"{prefix}-{key}", classes=f"layer-{key}", compact=True)]

        widgets: list[Widget] = [
            Label(f"{index + 1}.", classes="layer-index"),
            Select([(t, t) for t in LAYER_TYPES], value=kind, allow_blank=False, id=f"{prefix}-type",
                   classes="layer-type", compact=True),
        ]
        if kind == "dense":
            widgets += number("units", 10) + choice("activation", LAYER_ACTIVATIONS, "relu")
        elif kind == "conv2d":
            widgets += (number("filters", 20, "f") + number("kernel", defaults.kernel, "k")
                        + number("stride", 1, "s") + choice("padding", PADDINGS, defaults.padding)
                        + choice("activation", LAYER_ACTIVATIONS[:-1], "relu"))
        elif kind in ("maxpool2d", "avgpool2d"):
            size = layer.get("size", defaults.size)
            widgets += number("size", size, "k") + number("stride", size, "s")
        elif kind == "dropout":
            widgets += number("rate", defaults.rate)
        elif kind == "batchnorm":
            widgets += number("momentum", defaults.momentum)
        widgets.append(Label("", id=f"{prefix}-shape", classes="layer-shape muted"))
        return widgets

    async def rebuild_settings(self, container_id: str, prefix: str, values: dict[str, Any]) -> None:
        container = self.query_one(f"#{container_id}", Vertical)
        await container.remove_children()
        name = values["name"]
        self.shown_choice[container_id] = name
        rows = []
        if prefix == "optimizer":
            for hyper in REGISTRY[name].HYPERS:
                value = values.get(hyper.name, hyper.default)
                rows.append(field_row(f"optimizer.{hyper.name}", hyper.name, value, type(hyper.default),
                                      hint=f"{hyper.allowed()}; default {hyper.default}"))
        else:
            for key, default in SCHEDULE_SETTINGS[name].items():
                rows.append(field_row(f"{prefix}.{key}", key, values.get(key, default), type(default),
                                      hint=f"default {default}"))
        await container.mount_all(rows)

    def focused_layer(self) -> int:
        focused = self.focused
        if focused is not None and focused.id and focused.id.startswith("layer"):
            return int(focused.id.split("-")[1])
        return max(len(self.layer_specs) - 2, 0)

    def focus_layer(self, index: int, key: str = "type") -> None:
        """After the layer rows are rebuilt, focus stays in the list: on ``key`` of layer ``index``."""
        index = min(max(index, 0), len(self.layer_specs) - 1)
        found = self.query(f"#layer{self.generation}-{index}-{key}")
        (found.first() if found else self.query_one(f"#layer{self.generation}-{index}-type")).focus()

    async def action_add_layer(self) -> None:
        self.read_layers()
        index = self.focused_layer()
        self.layer_specs.insert(index + 1, {"type": "dense", "units": 30, "activation": "relu"})
        await self.rebuild_layers()
        self.focus_layer(index + 1)
        self.validate()

    def action_remove_layer(self) -> None:
        """Asks first: a removed layer's settings would be lost."""
        from .dialogs import ConfirmScreen

        self.read_layers()
        if len(self.layer_specs) <= 1:
            self.notify("a network needs at least one layer", severity="warning")
            return
        index = self.focused_layer()
        layer = self.layer_specs[index]
        label = " ".join(str(layer[k]) for k in ("type", "units", "filters", "size") if k in layer)

        async def answered(yes: bool | None) -> None:
            if yes:
                self.layer_specs.pop(index)
                await self.rebuild_layers()
                self.validate()
            self.focus_layer(index)

        self.app.push_screen(ConfirmScreen(f"Remove layer {index + 1} ({label})?"), answered)

    async def action_move_layer(self, step: int) -> None:
        self.read_layers()
        index = self.focused_layer()
        target = index + step
        if 0 <= target < len(self.layer_specs):
            self.layer_specs[index], self.layer_specs[target] = self.layer_specs[target], self.layer_specs[index]
            await self.rebuild_layers()
            self.focus_layer(target)
            self.validate()

    def read_layers(self) -> None:
        for index, layer in enumerate(self.layer_specs):
            for key in LAYER_KEYS:
                found = self.query(f"#layer{self.generation}-{index}-{key}")
                if not found:
                    continue
                widget = found.first()
                if isinstance(widget, Select):
                    layer[key] = widget.value
                else:
                    layer[key] = parse_text(widget.value, int if key in INTEGER_KEYS else float)

    # ---- reading the form and validating ----

    def collect(self) -> dict[str, Any]:
        raw = spec_to_dict(self.preset.spec)
        for fields in SECTIONS.values():
            for path in fields:
                set_dotted(raw, path, self.read(path, field_info(path)[0]))
        self.read_layers()
        raw["model"]["layers"] = [{k: v for k, v in layer.items() if k in LAYER_FIELDS.get(layer.get("type"), ("type",))}
                                  for layer in self.layer_specs]
        optimizer = self.query_one(f"#{widget_id('optimizer.name')}", Select).value
        raw["optimizer"] = {"name": optimizer}
        for hyper in REGISTRY[optimizer].HYPERS:
            if self.query(f"#{widget_id('optimizer.' + hyper.name)}"):
                raw["optimizer"][hyper.name] = self.read(f"optimizer.{hyper.name}", type(hyper.default))
        schedule = self.query_one(f"#{widget_id('training.schedule.name')}", Select).value
        raw["training"]["schedule"] = {"name": schedule}
        for key, default in SCHEDULE_SETTINGS[schedule].items():
            if self.query(f"#{widget_id('training.schedule.' + key)}"):
                raw["training"]["schedule"][key] = self.read(f"training.schedule.{key}", type(default))
        return raw

    def read(self, path: str, kind: type) -> Any:
        widget = self.query_one(f"#{widget_id(path)}")
        return widget.value if isinstance(widget, Select) else parse_text(widget.value, kind)

    def folder(self, path: str) -> FolderSummary | DatasetError:
        """The data folder's summary (or why it cannot be used), read once per folder and change."""
        try:
            stamp = os.stat(os.path.expanduser(path)).st_mtime_ns
        except OSError:
            stamp = None
        key = (path, stamp)
        if key not in self.folders:
            try:
                self.folders[key] = peek_folder(path)
            except DatasetError as error:
                self.folders[key] = error
        return self.folders[key]

    def data_problems(self, spec) -> tuple[list[Problem], tuple[int, int] | None]:
        """The folder checked as it is typed: its files, then the spec against what it holds
        (classes, image size, split sizes). Returns the problems and the image size."""
        if not spec.data.path:
            return [], DATASET_SHAPES.get(spec.data.dataset, DATASET_IMAGE)
        folder = self.folder(spec.data.path)
        if isinstance(folder, DatasetError):
            return [Problem("data.path", spec.data.path, str(folder))], None
        problems = check_spec(spec, classes=folder.classes, image_shape=folder.image_shape,
                              data_files=(folder.train, folder.test))
        return problems, folder.image_shape

    def validate(self) -> None:
        spec, self.problems = parse_spec(self.collect())
        self.spec = spec
        extra, self.image_shape = self.data_problems(spec)
        known = {str(problem) for problem in self.problems}
        self.problems += [problem for problem in extra if str(problem) not in known]
        self.show_data_choices()
        for error in self.query(".field-error"):
            error.update("")
            error.remove_class("shown")
        marked: set[int] = set()
        for problem in self.problems:
            target = self.error_widget(problem.path)
            # The first problem of a field is the one to fix; later ones often follow from it.
            if target is not None and id(target) not in marked:
                marked.add(id(target))
                target.update(problem.at_field())
                target.add_class("shown")
        self.show_shapes()
        summary = self.query_one("#summary", Static)
        if self.problems:
            first = self.problems[0]
            more = f" (+{len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
            summary.update(f"[b red]{len(self.problems)} problem(s)[/]: {first.path}: {first.allowed}{more}")
        else:
            summary.update(f"[b green]valid[/]  {self.preset.key}: ctrl+r runs, ctrl+s saves")

    def show_data_choices(self) -> None:
        """The download switch applies to a named dataset that is not bundled; a folder replaces
        the named dataset, so its choice is greyed out while a folder is set."""
        data = self.spec.data
        self.query_one(f"#{widget_id('data.dataset')}").disabled = bool(data.path)
        self.query_one(f"#{widget_id('data.download')}").disabled = bool(data.path) or data.dataset in ("mnist", "digits")

    def show_shapes(self) -> None:
        """Each layer's output shape and parameters, and the total, from the same fold the spec
        check uses; layers past the first that does not fit (or any, while a field is invalid)
        show nothing."""
        shape = input_shape_of(self.spec, self.image_shape) if self.image_shape else None
        layer_problem = any(p.path.startswith("model.layers") and not p.about_shape for p in self.problems)
        rows = summarize(self.spec, shape)[0] if shape and not layer_problem else []
        for index in range(len(self.layer_specs)):
            found = self.query(f"#layer{self.generation}-{index}-shape")
            if found:
                row = rows[index] if index < len(rows) else None
                found.first().update(f"{row.shape_text} {row.parameters:,}p" if row else "")
        total = self.query_one("#layers-total", Static)
        if rows and len(rows) == len(self.layer_specs):
            total.update(f"input {format_shape(shape)}, {sum(r.parameters for r in rows):,} parameters in all")
        else:
            total.update("")

    def error_widget(self, path: str) -> Static | None:
        parts = path.replace("[", ".").replace("]", "").split(".")
        while parts:
            found = self.query(f"#{widget_id('.'.join(parts), 'e')}")
            if found:
                return found.first()
            parts.pop()
        return None

    async def on_select_changed(self, event: Select.Changed) -> None:
        wid = event.select.id or ""
        if wid == widget_id("optimizer.name"):
            if self.shown_choice.get("hypers") != event.value:
                await self.rebuild_settings("hypers", "optimizer", {"name": event.value})
        elif wid == widget_id("training.schedule.name"):
            if self.shown_choice.get("schedule-settings") != event.value:
                await self.rebuild_settings("schedule-settings", "training.schedule", {"name": event.value})
        elif wid.startswith(f"layer{self.generation}-") and wid.endswith("-type"):
            index = int(wid.split("-")[1])
            if self.layer_specs[index].get("type", "dense") != event.value:
                self.read_layers()
                # A conv's stride of 1 is no default for a pool, nor a pool's for a conv.
                self.layer_specs[index].pop("stride", None)
                self.layer_specs[index]["type"] = event.value
                await self.rebuild_layers()
                self.focus_layer(index)
        elif wid.startswith("layer"):
            return  # a stale widget from before the last rebuild
        self.validate()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.validate()

    def on_descendant_focus(self, event) -> None:
        """The focused field's whole help (the hint beside it is cut to fit) above the footer."""
        self.query_one("#field-help", Static).update(self.help_for(event.widget.id or ""))

    def help_for(self, wid: str) -> str:
        if wid.startswith("layer"):
            key = wid.split("-", 2)[-1]
            return f"model.layers[{int(wid.split('-')[1])}].{key}: {field_help(LayerSpec, key)}"
        for fields in [*SECTIONS.values(), ["optimizer.name", "training.schedule.name"]]:
            for path in fields:
                if widget_id(path) == wid:
                    return f"{path}: {field_info(path)[1].get('help', '')}"
        if wid.startswith("f-optimizer-"):
            name = wid.removeprefix("f-optimizer-")
            hyper = next((h for h in REGISTRY[self.spec.optimizer.name].HYPERS if h.name == name), None)
            if hyper is not None:
                return f"optimizer.{name}: {hyper.help or hyper.allowed()}; default {hyper.default}"
        if wid == "f-description":
            return "description: what this preset shows, in the home screen's preview"
        return ""

    # ---- actions ----

    def refuse(self, what: str) -> bool:
        """Says why at the top and takes the cursor to the first problem's field (a notice in the
        corner would cover the field errors)."""
        self.validate()
        if not self.problems:
            return False
        first = self.problems[0]
        self.query_one("#summary", Static).update(
            f"[b red]cannot {what}[/]: {len(self.problems)} problem(s); first: {first.path}: {first.allowed}")
        target = self.error_widget(first.path)
        field = self.field_widget_for(first.path)
        if field is not None:
            field.focus()
        if target is not None:
            target.scroll_visible()
        return True

    def field_widget_for(self, path: str) -> Widget | None:
        """The input of a problem's field, or of its layer."""
        parts = path.replace("[", ".").replace("]", "").split(".")
        if parts[:2] == ["model", "layers"] and len(parts) >= 3:
            key = parts[3] if len(parts) > 3 else "type"
            found = self.query(f"#layer{self.generation}-{parts[2]}-{key}") or \
                self.query(f"#layer{self.generation}-{parts[2]}-type")
            return found.first() if found else None
        found = self.query(f"#{widget_id(path)}")
        return found.first() if found else None

    def edited_preset(self, key: str) -> Preset:
        """The form as a user preset. Its time is unknown until it runs (a copied estimate would
        be another preset's); the reference and expected accuracy stay only while the spec does."""
        unchanged = self.spec == self.preset.spec
        return replace(self.preset, key=key, name=key if not self.preset.name or not unchanged else self.preset.name,
                       description=self.query_one("#f-description", Input).value.strip(),
                       spec=self.spec, builtin=False, path=None, minutes=None,
                       reference=self.preset.reference if unchanged else "",
                       expected=self.preset.expected if unchanged else None)

    def action_run(self) -> None:
        from .training import TrainingScreen

        if not self.refuse("run"):
            self.app.push_screen(TrainingScreen(self.edited_preset(self.preset.key)))

    def action_save(self) -> None:
        from .dialogs import NameScreen

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
                self.notify(f"saved {path}")
                self.unchanged = self.form_state()
                self.app.pop_screen()

        initial = "" if self.preset.builtin else self.preset.key
        self.app.push_screen(NameScreen("Save as preset (a plain file name):", initial, check), done)

    def action_back(self) -> None:
        """Asks before discarding changes."""
        from .dialogs import ConfirmScreen

        if self.unchanged is None or self.form_state() == self.unchanged:
            self.app.pop_screen()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.app.pop_screen()

        self.app.push_screen(ConfirmScreen("Discard your changes to this preset?"), answered)
