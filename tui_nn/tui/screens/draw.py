"""Draw your own digit for a saved model: a canvas in the data's image shape drawn with half
blocks, moved over with the arrows or hjkl, painted with a soft brush (or the mouse), and the ten
class probabilities as bars after every stroke. Test digits load into the canvas to be edited."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Footer, Static

from ...experiment.models import MODEL_SUFFIX, open_on_test_split
from ...experiment.threads import quick_blas_threads
from ...render.drawing import Canvas
from ...render.textart import ASCII_RAMP, INK, render_fit
from .model_screen import ModelScreen

#: The canvas is drawn at least this many pixels wide (an 8x8 digit is zoomed 3x, MNIST's is not).
CANVAS_TARGET = 24
BAR_WIDTH = 16
EIGHTHS = " ▏▎▍▌▋▊▉"
CURSOR_COLOUR = "rgb(255,135,0)"
#: Below INK a half block stays empty; this much ink still shows as a faint cell without colour.
FAINT = 0.1
PEN_STATES = ("up", "painting", "erasing")


def grey(value: float) -> str:
    level = int(round(min(max(value, 0.0), 1.0) * 255))
    return f"rgb({level},{level},{level})"


def canvas_text(pixels: np.ndarray, cursor: tuple[int, int], zoom: int, ascii_only: bool, colour: bool) -> Text:
    """The canvas as lines of half blocks, ``zoom`` cells (and half-rows) per pixel. In colour each
    half block carries its pixel's grey and the cursor's pixel is orange; without colour the glyph
    follows the ink (full, upper or lower half, a shade when faint) and the cursor's cells are in
    reverse video; the ASCII ramp replaces the blocks when Unicode is off."""
    values = np.repeat(np.repeat(pixels / 255.0, zoom, axis=0), zoom, axis=1)
    marked = np.zeros(values.shape, bool)
    row, column = cursor
    marked[row * zoom:(row + 1) * zoom, column * zoom:(column + 1) * zoom] = True
    if len(values) % 2:
        values = np.vstack([values, np.zeros((1, values.shape[1]))])
        marked = np.vstack([marked, np.zeros((1, marked.shape[1]), bool)])
    text = Text(no_wrap=True, overflow="crop")
    for line in range(len(values) // 2):
        if line:
            text.append("\n")
        for x in range(values.shape[1]):
            top, bottom = float(values[2 * line, x]), float(values[2 * line + 1, x])
            top_marked, bottom_marked = bool(marked[2 * line, x]), bool(marked[2 * line + 1, x])
            if colour and not ascii_only:
                fg = CURSOR_COLOUR if top_marked else grey(top)
                bg = CURSOR_COLOUR if bottom_marked else grey(bottom)
                text.append("▀", Style.parse(f"{fg} on {bg}"))
                continue
            if ascii_only:
                glyph = ASCII_RAMP[min(int((top + bottom) / 2 * len(ASCII_RAMP)), len(ASCII_RAMP) - 1)]
            else:
                glyph = {(True, True): "█", (True, False): "▀", (False, True): "▄"}.get(
                    (top > INK, bottom > INK), "░" if max(top, bottom) >= FAINT else " ")
            text.append(glyph, "reverse" if top_marked or bottom_marked else "")
    return text


def bar(share: float, width: int, ascii_only: bool) -> str:
    """A horizontal bar of ``width`` cells filled to ``share`` (in eighths of a cell with Unicode)."""
    if ascii_only:
        filled = int(round(share * width))
        return "#" * filled + "." * (width - filled)
    eighths = int(round(share * width * 8))
    full, part = divmod(eighths, 8)
    return ("█" * full + (EIGHTHS[part] if part else "") + " " * width)[:width]


def probability_bars(probabilities: np.ndarray, names: tuple[str, ...], ascii_only: bool) -> Text:
    """One bar per class; the most probable class is marked with an arrow as well as in bold."""
    best = int(probabilities.argmax())
    text = Text(no_wrap=True, overflow="crop")
    label_width = min(max(len(n) for n in names), 8)
    for index, (name, share) in enumerate(zip(names, probabilities)):
        if index:
            text.append("\n")
        mark = ("<" if ascii_only else "◀") if index == best else " "
        text.append(f"{name[:label_width]:>{label_width}} {bar(float(share), BAR_WIDTH, ascii_only)} "
                    f"{float(share):6.1%} {mark}", "bold" if index == best else "")
    return text


class CanvasView(Static):
    """The canvas; with the mouse captured, the left button paints and the right one erases."""

    class Touched(Message):
        """The pointer at content cell (x, y) with a button down; ``dragged``: the stroke goes on."""

        def __init__(self, x: int, y: int, erase: bool, dragged: bool) -> None:
            super().__init__()
            self.x, self.y, self.erase, self.dragged = x, y, erase, dragged

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.stroke: bool | None = None  # None: no button down; else whether the stroke erases

    def _touch(self, event: events.MouseEvent, dragged: bool) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and self.stroke is not None:
            self.post_message(self.Touched(offset.x, offset.y, self.stroke, dragged))

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self.stroke = event.button == 3
        self.capture_mouse()
        self._touch(event, dragged=False)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._touch(event, dragged=True)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        self.stroke = None
        self.release_mouse()


class DrawScreen(ModelScreen):
    HELP_TITLE = "Draw a digit"
    HELP_NOTE = ("p cycles the pen: painting (every move paints), erasing (every move erases), up. t loads the "
                 "next image of the test split into the canvas (T the previous one) to edit it. "
                 "What you draw goes through the data's own preprocessing (the pixels rounded to bytes, "
                 "then scaled as the training images were). MNIST's digits were also centred: each one's "
                 "ink scaled to fit a 20x20 box and moved so that its centre of mass sits at the image's "
                 "centre. A digit drawn off-centre or small often reads wrongly; m applies the same "
                 "centring before the network sees it (the panel on the right shows what it sees).")
    DEFAULT_CSS = """
    DrawScreen #draw-status { height: 2; padding: 0 1; background: $panel; }
    DrawScreen #draw-body { height: 1fr; }
    DrawScreen CanvasView { width: auto; height: auto; border: round $accent; }
    DrawScreen #draw-bars { width: auto; padding: 0 1; }
    DrawScreen #draw-seen { width: 16; }
    """
    BINDINGS = [
        Binding("space", "paint", "Paint", key_display="spc"),
        Binding("x", "erase", "Erase"),
        # p and m are named in the status line beside what they switch (the footer has no room).
        Binding("p", "pen", "Pen up/down", show=False),
        Binding("c", "clear", "Clear"),
        Binding("m", "centre", "Centring on/off", show=False),
        Binding("t", "test_digit(1)", "Test"),
        Binding("T", "test_digit(-1)", "Previous test digit", show=False),
        Binding("escape", "back", "Back"),
        Binding("up,k", "move(-1, 0)", "Move up", show=False),
        Binding("down,j", "move(1, 0)", "Move down", show=False),
        Binding("left,h", "move(0, -1)", "Move left", show=False),
        Binding("right,l", "move(0, 1)", "Move right", show=False),
    ]

    STATUS_ID = "draw-status"

    def __init__(self, model_path: Path):
        super().__init__(model_path)
        self.model = None
        self.canvas: Canvas | None = None
        self.cursor = (0, 0)
        self.zoom = 1
        self.pen = 0  # an index into PEN_STATES
        self.centred = False
        self.test_index = -1
        self.loaded: str = ""
        self.probabilities: np.ndarray | None = None
        self.answer_ms = 0.0
        self.strokes = 0  # predictions made: a test can wait for the next one

    def compose(self) -> ComposeResult:
        yield self.status_line()
        with Horizontal(id="draw-body"):
            yield CanvasView(id="canvas")
            yield Static("", id="draw-bars")
            yield Static("", id="draw-seen")
        yield Footer()

    def read(self):
        # Without its data a model still draws (it carries its preprocessing), without test digits.
        model = open_on_test_split(self.model_path, str(self.app.home), without_data=True)
        if len(model.image_shape) != 2:
            raise ValueError(f"{self.model_path}: drawing needs one-channel images, the data has "
                             f"{model.image_shape}")
        return model

    def ready(self, model) -> None:
        self.model = model
        if model.data_problem:
            self.loaded = "no test digits (its data cannot be read)"
            self.notify(f"drawing without test digits: {model.data_problem}", severity="warning")
        height, width = model.image_shape
        self.canvas = Canvas(height, width)
        self.zoom = max(1, CANVAS_TARGET // max(height, width))
        self.cursor = (height // 2, width // 2)
        self.refresh_bindings()  # the drawing keys join the footer now
        self.predict()

    def predict(self) -> None:
        """The network's answer to the canvas as it is now, and the screen redrawn with it."""
        if self.model is None or self.canvas is None:
            return
        started = time.perf_counter()
        image = self.canvas.image(self.centred)
        # One image is too little work to share: a second BLAS thread only waits for a busy core.
        with quick_blas_threads(1):
            self.probabilities = self.model.network.predict_proba(self.model.to_float(image[None]))[0]
        self.answer_ms = 1000 * (time.perf_counter() - started)
        self.strokes += 1
        self.draw(image)

    def draw(self, image: np.ndarray | None = None) -> None:
        if self.canvas is None or self.model is None:
            return
        ascii_only = self.app.ascii_art
        self.query_one(CanvasView).update(
            canvas_text(self.canvas.pixels, self.cursor, self.zoom, ascii_only, not self.app.no_color))
        names = self.model.class_names
        best = int(self.probabilities.argmax())
        bars = Text(f"reads {names[best]} ({float(self.probabilities[best]):.1%})\n", "bold")
        bars.append_text(probability_bars(self.probabilities, names, ascii_only))
        bars.append(f"\nanswered in {self.answer_ms:.1f} ms")
        self.query_one("#draw-bars", Static).update(bars)
        seen = self.query_one("#draw-seen", Static)
        if self.centred and image is not None:
            seen.update("centred:\n" + "\n".join(render_fit(image, 14, 7, ascii_only)))
        elif not self.centred:
            seen.update("as drawn\n(m: centre\nlike MNIST)")
        height, width = self.canvas.shape
        row, column = self.cursor
        run = self.model_path.name.removesuffix(MODEL_SUFFIX)
        self.set_status(
            f"[b]{run[:40]}[/b]: {width}x{height}; pen {PEN_STATES[self.pen]} (p); "
            f"centring {'on' if self.centred else 'off'} (m)\n"
            f"cursor row {row + 1}, column {column + 1}" + (f"; {self.loaded}" if self.loaded else ""))

    # -- keys -------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "back":
            return True
        if action == "test_digit":
            return self.model is not None and len(self.model.images) > 0
        return self.canvas is not None  # nothing to draw on until the model is read

    def action_move(self, rows: int, columns: int) -> None:
        height, width = self.canvas.shape
        row, column = self.cursor
        self.cursor = (min(max(row + rows, 0), height - 1), min(max(column + columns, 0), width - 1))
        if self.pen:
            self.stroke(erase=self.pen == 2)
        else:
            self.draw()

    def stroke(self, erase: bool) -> None:
        (self.canvas.erase if erase else self.canvas.paint)(*self.cursor)
        self.predict()

    def action_paint(self) -> None:
        self.stroke(erase=False)

    def action_erase(self) -> None:
        self.stroke(erase=True)

    def action_pen(self) -> None:
        self.pen = (self.pen + 1) % len(PEN_STATES)
        if self.pen:
            self.stroke(erase=self.pen == 2)
        else:
            self.draw()

    def action_clear(self) -> None:
        self.canvas.clear()
        self.loaded = "" if len(self.model.images) else self.loaded
        self.predict()

    def action_centre(self) -> None:
        self.centred = not self.centred
        self.predict()

    def action_test_digit(self, step: int) -> None:
        count = len(self.model.images)
        self.test_index = (self.test_index + step) % count
        self.canvas.load(self.model.images[self.test_index])
        label = self.model.class_names[int(self.model.labels[self.test_index])]
        self.loaded = f"loaded test image {self.test_index + 1} of {count} (true {label})"
        self.predict()

    def on_canvas_view_touched(self, message: CanvasView.Touched) -> None:
        if self.canvas is None:
            return
        height, width = self.canvas.shape
        row, column = (2 * message.y) // self.zoom, message.x // self.zoom
        if 0 <= row < height and 0 <= column < width:
            start = self.cursor if message.dragged else (row, column)
            self.cursor = (row, column)
            self.canvas.line(start, self.cursor, erase=message.erase)
            self.predict()
