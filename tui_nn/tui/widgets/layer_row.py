"""The editor's layer list: one ``LayerRow`` per layer of the draft, added, removed and moved one at a time.

A row holds its own inputs (by field name), its output-shape label and its error line, and writes
every change into its ``LayerDraft``. The list keeps its rows in the draft's order: adding a layer
shows one row (made ahead of time, or mounted then), removing one removes it, moving one moves it;
the others are only renumbered.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets import Input, Label, Select

from ...engine.shapes import PADDINGS
from ...experiment.draft import Draft, LayerDraft, new_layer
from ...experiment.spec.schema import LAYER_TYPES
from .form_fields import Edited, ErrorLine, NumberInput, choice_select

LAYER_ACTIVATIONS = ("relu", "sigmoid", "tanh", "leaky_relu", "elu", "linear", "softmax")

#: A field's choices in a row (a conv layer's activation is never softmax).
_CHOICES = {"activation": LAYER_ACTIVATIONS, "padding": PADDINGS}

#: Short labels before a conv's and a pool's numbers: f filters, k kernel (or window), s stride.
_SHORT = {"filters": "f", "kernel": "k", "stride": "s", "size": "k"}


class LayerRow(Vertical):
    """``n. [type] fields... shape`` and the layer's error below."""

    def __init__(self, layer: LayerDraft, number: int):
        super().__init__(classes="layer-box")
        self.layer_draft = layer
        self.number = Label(f"{number}.", classes="layer-index")
        self.shown_number = number
        self.inputs: dict[str, Widget] = {
            "type": choice_select(LAYER_TYPES, layer.type, classes="layer-type")}
        self.shape = Label("", classes="layer-shape muted")
        self.shape_text = ""
        self.error = ErrorLine()
        self.line = Horizontal(classes="layer")
        self._fields: list[Widget] = []
        self._retired: list[Widget] = []

    def compose(self) -> ComposeResult:
        with self.line:
            yield self.number
            yield self.inputs["type"]
            yield from self._field_widgets()
            yield self.shape
        yield self.error

    def _field_widgets(self) -> list[Widget]:
        """The inputs of the layer type's own fields (with their short labels), remembered by name."""
        widgets: list[Widget] = []
        for key in self.layer_draft.keys:
            value = self.layer_draft.values[key]
            if key in _CHOICES:
                options = _CHOICES[key][:-1] if key == "activation" and self.layer_draft.type == "conv2d" else _CHOICES[key]
                box: Widget = choice_select(options, value, classes=f"layer-{key}")
            else:
                if self.layer_draft.type in ("conv2d", "maxpool2d", "avgpool2d"):
                    widgets.append(Label(_SHORT[key], classes="layer-label"))
                box = NumberInput(str(value), classes=f"layer-{key} layer-number", compact=True)
            self.inputs[key] = box
            widgets.append(box)
        self._fields = widgets
        return widgets

    def key_of(self, widget: DOMNode | None) -> str | None:
        """The field an input of this row edits."""
        return next((key for key, box in self.inputs.items() if box is widget), None)

    def on_mount(self) -> None:
        self._watch_inputs(self.inputs)

    def _watch_inputs(self, keys: Iterable[str]) -> None:
        # As in a FieldRow: written into the draft as the value changes, never behind it.
        for key in keys:
            self.watch(self.inputs[key], "value", partial(self._changed, key, self.inputs[key]), init=False)

    def _changed(self, key: str, box: Widget, value: object) -> None:
        if self.inputs.get(key) is not box:
            return  # a field of the type the layer had, on its way out
        layer = self.layer_draft
        if key == "type":
            # A Select announces its value when it is mounted: only a real change is an edit.
            if value == layer.type:
                return
            self._retired += self._fields
            self._fields = []
            for old in layer.keys:
                self.inputs.pop(old, None)
            layer.retype(str(value))
            self.call_next(self._show_type_fields)
        else:
            before = layer.values.get(key)
            if isinstance(box, Input):
                layer.set_text(key, str(value))
            else:
                layer.set(key, value)
            after = layer.values[key]
            if after == before and type(after) is type(before):
                return
        self.post_message(Edited(f"model.layers.{key}"))

    async def _show_type_fields(self) -> None:
        """Another type: its own fields replace the old ones; the type's choice (and the focus) stay."""
        retired, self._retired = self._retired, []
        await self.line.remove_children(retired)
        if not self._fields:  # not shown yet (two changes of type may come before this runs)
            await self.line.mount_all(self._field_widgets(), before=self.shape)
            self._watch_inputs(self.layer_draft.keys)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()  # already written, by the watcher

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()

    def set_number(self, number: int) -> None:
        if number != self.shown_number:
            self.number.update(f"{number}.")
            self.shown_number = number

    def show_shape(self, text: str) -> None:
        if text != self.shape_text:
            self.shape.update(text)
            self.shape_text = text


class LayerList(Vertical):
    """The rows, in the draft's order."""

    def __init__(self, draft: Draft, **kwargs):
        super().__init__(**kwargs)
        self.draft = draft
        self.rows = [LayerRow(layer, index + 1) for index, layer in enumerate(draft.layers)]
        # A new layer's row, mounted ahead of time and hidden at the end of the list: ctrl+n shows
        # it where it belongs instead of waiting for a mount (most of the time adding a row takes).
        self.spare: LayerRow | None = None

    def compose(self) -> ComposeResult:
        yield from self.rows

    def on_mount(self) -> None:
        self.call_after_refresh(self._prepare_spare)

    async def _prepare_spare(self) -> None:
        if self.spare is not None or not self.is_attached:
            return
        spare = self.spare = LayerRow(new_layer(), 0)
        spare.display = False
        await self.mount(spare)

    def index_of(self, widget: DOMNode | None) -> int | None:
        """The layer whose row holds ``widget`` (an input of it, usually the focused one)."""
        while widget is not None and widget is not self:
            if isinstance(widget, LayerRow) and widget in self.rows:
                return self.rows.index(widget)
            widget = widget.parent
        return None

    async def add(self, index: int) -> LayerRow:
        """A new layer at ``index``: the spare row shown there, else one row mounted there."""
        row = self.spare
        if row is not None and row.is_mounted:
            self.spare = None
            self.draft.insert_layer(index, row.layer_draft)
            self.rows.insert(index, row)
            if index + 1 < len(self.rows):
                self.move_child(row, before=self.rows[index + 1])
            else:
                self.move_child(row, after=self.rows[index - 1])
            row.display = True
        else:
            row = LayerRow(self.draft.insert_layer(index, new_layer()), index + 1)
            following = self.rows[index] if index < len(self.rows) else None
            self.rows.insert(index, row)
            await self.mount(row, before=following)
        self._renumber(index)
        self.call_after_refresh(self._prepare_spare)  # the next one, once this one is drawn
        return row

    async def remove(self, index: int) -> None:
        self.draft.remove_layer(index)
        row = self.rows.pop(index)
        await row.remove()
        self._renumber(index)

    def move(self, index: int, step: int) -> bool:
        """The layer at ``index`` one place up (-1) or down (1): its row moves past its neighbour."""
        if not self.draft.move_layer(index, step):
            return False
        target = index + step
        row, other = self.rows[index], self.rows[target]
        self.rows[index], self.rows[target] = other, row
        if step < 0:
            self.move_child(row, before=other)
        else:
            self.move_child(row, after=other)
        self._renumber(min(index, target))
        return True

    def _renumber(self, start: int) -> None:
        for index in range(start, len(self.rows)):
            self.rows[index].set_number(index + 1)
