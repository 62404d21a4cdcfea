"""The editor's sections: which fields each shows, and the rows of the optimizer's and schedule's own settings."""

from __future__ import annotations

from dataclasses import fields

from rich.markup import escape
from textual.content import Content
from textual.widgets import Input

from ...engine.optimizers import REGISTRY
from ...engine.schedules import SCHEDULE_SETTINGS
from ...experiment.draft import Draft, DraftCheck
from ...experiment.spec.schema import (
    TABLE_DATA_FIELDS,
    DataSpec,
    LayerSpec,
    field_help,
    field_info,
)
from ..widgets.form_fields import FieldRow, SweepRow, field_input, widget_id

SECTIONS = {
    # A table's fields (a CSV file's target and task, a generated dataset's gate, points, noise and
    # training share) follow the path; the image fields after them.
    "Data": ["data.dataset", "data.download", "data.path", "data.target", "data.task", "data.gate", "data.points",
             "data.noise", "data.train_fraction", "data.train_size", "data.validation_size",
             "data.test_size", "data.subset", "data.normalization", "data.augment.expand", "data.augment.shift",
             "data.augment.rotate", "data.augment.scale", "data.augment.translate"],
    "Loss and initializer": ["model.loss", "model.init", "model.bias_init"],
    "Regularization": ["regularization.l1", "regularization.l2", "regularization.l2_lambda",
                       "regularization.noise_eta", "regularization.noise_gamma"],
    "Training": ["training.epochs", "training.batch_size", "training.monitor", "training.dtype",
                 "training.early_stopping.patience", "training.early_stopping.min_delta",
                 "training.early_stopping.restore_best", "seed"],
}

#: The Data section's fields that only some kinds of data read (a table's, an image's): shown only
#: for those (editor.py).
SOME_DATA_FIELDS = ("target", "task", "gate", "points", "noise", "train_fraction", "download", "normalization",
                    "augment.expand", "augment.shift", "augment.rotate", "augment.scale", "augment.translate")

LAYERS_TITLE = "Model layers (ctrl+n add, ctrl+g remove, alt+up/down or ctrl+up/down move)"
LAYERS_HINT = "conv2d: f filters, k kernel, s stride; pooling: k window, s stride"


def description_row(draft: Draft) -> FieldRow:
    # Its whole text is not selected when it gets the focus: the editor opens on it.
    box = Input(draft.description, id=widget_id("description"), compact=True, placeholder="what this preset shows",
                select_on_focus=False)
    return FieldRow(draft, "description", "description", str, input=box, wide=True,
                    help_text="description: what this preset shows, in the home screen's preview")


def spec_row(draft: Draft, path: str, label: str | None = None, choices: tuple | None = None) -> FieldRow:
    """A field of the spec, with its schema's type, choices and help."""
    kind, meta = field_info(path)
    help_text = meta.get("help", "")
    hint = help_text if choices is None else ""
    choices = choices or meta.get("choices")
    box = None
    if path.startswith("data.") and path.split(".")[-1] in TABLE_DATA_FIELDS and draft.value(path) is None:
        # An image spec leaves a table's fields out: the field shows its default until it is set.
        default = next(f.default for f in fields(DataSpec) if f.name == path.split(".")[-1])
        box = field_input(path, default, kind, choices)
    return FieldRow(draft, path, label or path.split(".")[-1], kind, choices, input=box,
                    hint=hint, help_text=f"{path}: {help_text}")


def optimizer_rows(draft: Draft) -> list[FieldRow]:
    """Exactly the chosen optimizer's hyper-parameters."""
    rows = []
    for hyper in REGISTRY[draft.optimizer["name"]].HYPERS:
        rows.append(FieldRow(draft, f"optimizer.{hyper.name}", hyper.name, type(hyper.default),
                             hint=f"{hyper.allowed()}; default {hyper.default}",
                             help_text=f"optimizer.{hyper.name}: {hyper.help or hyper.allowed()}; "
                                       f"default {hyper.default}"))
    return rows


def schedule_rows(draft: Draft) -> list[FieldRow]:
    """Exactly the chosen learning-rate schedule's settings."""
    return [FieldRow(draft, f"training.schedule.{key}", key, type(default), hint=f"default {default}",
                     help_text=f"training.schedule.{key}: default {default}")
            for key, default in SCHEDULE_SETTINGS[draft.schedule["name"]].items()]


def layer_help(index: int, key: str) -> str:
    return f"model.layers[{index}].{key}: {field_help(LayerSpec, key)}"


def choice_rows(draft: Draft) -> tuple[FieldRow, FieldRow]:
    """The optimizer's and the schedule's names."""
    return (spec_row(draft, "optimizer.name", "name", tuple(REGISTRY)),
            spec_row(draft, "training.schedule.name", "schedule", tuple(SCHEDULE_SETTINGS)))


#: Shown while the text is empty (plain text: a Content is not read as markup).
SWEEP_EXAMPLE = Content("no sweep: ctrl+r trains the spec once. A sweep is lines such as\n"
                        "  seeds = 3\n  [grid]\n  \"optimizer.learning_rate\" = [0.1, 1.0]")


def sweep_row(draft: Draft) -> SweepRow:
    return SweepRow(draft, SWEEP_EXAMPLE, hint=escape("the preset's [sweep] table, in TOML (docs/cli.md#sweep)"), help_text=escape(
        "sweep: seeds = N; alternatives = [{partial spec}, ...]; then [grid] and a line per KEY = [values]. "
        "ctrl+r trains every point"))


def sweep_runs_text(draft: Draft, check: DraftCheck) -> str:
    """What ctrl+r trains: the spec once, or how many runs the sweep makes of it (nothing while
    the sweep has a problem: its error line says it)."""
    if not draft.sweep_text.strip():
        return "no sweep: ctrl+r trains the spec once"
    runs, seeds = check.sweep_runs, check.sweep_seeds
    if not runs or check.problems:
        return ""
    later = "" if check.sweep_whole else "; each point is checked then"
    if runs == 1:
        return "one setting, one seed: ctrl+r trains that one run"
    return f"{runs // seeds} setting(s), {seeds} seed(s) each: ctrl+r trains all {runs} runs{later}"
