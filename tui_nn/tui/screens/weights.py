"""The first layer's units of a saved model drawn as images in the input's shape: a dense unit's
weights as a tile of the image size, a conv filter scaled up. Diverging: ink for positive weights,
a different ink for negative ones (and two ASCII ramps without Unicode), paged, each unit with its
index and its weights' norm. For a conv model, ``f`` shows instead what the first conv layer makes
of one test digit: its feature maps, the digit itself first."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.widgets import Footer, Static

from ...engine.layers import Conv2D, Dense
from ...experiment.models import first_conv_maps, load_model, open_on_test_split
from ...render.textart import render_fit
from .model_screen import ModelScreen

COLUMNS, ROWS = 5, 2
PAGE = COLUMNS * ROWS
TILE_COLUMNS, TILE_ROWS = 14, 7
#: Weight strength from weak to strong: positive and negative inks (Unicode, then ASCII).
POSITIVE, NEGATIVE = " ░▒▓█", " ·○•●"
POSITIVE_ASCII, NEGATIVE_ASCII = " .:+#", " ,-=%"


def unit_images(weights: np.ndarray, layer, image_shape: tuple[int, ...]) -> list[np.ndarray]:
    """One 2-D array per unit of the first layer: a dense unit's weights in the image's shape, a conv
    filter's kernel (channels averaged)."""
    if isinstance(layer, Dense):
        height, width = image_shape[:2]
        return [weights[:, unit].reshape(height, width) for unit in range(weights.shape[1])]
    return [weights[..., unit].mean(axis=2) for unit in range(weights.shape[-1])]


def resample(image: np.ndarray, rows: int, columns: int) -> np.ndarray:
    """``image`` as rows x columns cells: block means when it is larger, repeated pixels when smaller."""
    height, width = image.shape
    if height >= rows and width >= columns:
        row_edges = np.linspace(0, height, rows + 1).astype(int)[:-1]
        col_edges = np.linspace(0, width, columns + 1).astype(int)[:-1]
        sums = np.add.reduceat(np.add.reduceat(image, row_edges, axis=0), col_edges, axis=1)
        counts = np.outer(np.diff(np.append(row_edges, height)), np.diff(np.append(col_edges, width)))
        return sums / counts
    return image[(np.arange(rows) * height) // rows][:, (np.arange(columns) * width) // columns]


def tile_size(shape: tuple[int, int]) -> tuple[int, int]:
    """Rows and columns of cells for an image, at most TILE_ROWS x TILE_COLUMNS, keeping its
    proportions (a cell is about twice as tall as wide) at a whole scale: a 28x28 unit in 14x7
    cells (2x2 pixels a cell), a 5x5 filter in 10x5 (a pixel two cells wide), a 12x12 map in 12x6."""
    height, width = shape
    scale = min(TILE_COLUMNS / width, 2 * TILE_ROWS / height)
    scale = float(int(scale)) if scale >= 1 else 1 / -(-1 // scale)
    return max(1, min(TILE_ROWS, round(height * scale / 2))), max(1, min(TILE_COLUMNS, round(width * scale)))


def tile_lines(image: np.ndarray, scale: float, ascii_only: bool) -> list[Text]:
    """The unit as text, one cell per block of weights, sized by ``tile_size``; the ink shows the
    strength, the glyph set (and the colour) the sign."""
    grid = resample(image, *tile_size(image.shape))
    positive, negative = (POSITIVE_ASCII, NEGATIVE_ASCII) if ascii_only else (POSITIVE, NEGATIVE)
    lines = []
    for row in grid:
        text = Text()
        for value in row:
            level = min(int(abs(value) / scale * (len(positive) - 1) + 0.5), len(positive) - 1) if scale else 0
            glyphs, style = (positive, "red") if value >= 0 else (negative, "blue")
            text.append(glyphs[level], style=style if level else "")
        lines.append(text)
    return lines + [Text() for _ in range(TILE_ROWS - len(lines))]  # captions line up across tiles


def sign_legend(ascii_only: bool, colour: bool) -> str:
    """Which glyphs are which sign, weak to strong (and the colours, when there are colours)."""
    positive, negative = (POSITIVE_ASCII, NEGATIVE_ASCII) if ascii_only else (POSITIVE, NEGATIVE)
    inks = " (red / blue)" if colour and not ascii_only else ""
    return f"+ {positive.strip()} / - {negative.strip()}{inks}"


class WeightsScreen(ModelScreen):
    HELP_TITLE = "Weights"
    DEFAULT_CSS = """
    WeightsScreen #weights-status { height: auto; padding: 0 1; background: $panel; }
    WeightsScreen #tiles { grid-size: 5 2; grid-columns: 16; grid-rows: 9; height: 1fr; }
    """
    BINDINGS = [Binding("pagedown", "page(1)", "Next"), Binding("pageup", "page(-1)", "Prev"),
                Binding("f", "maps", "Maps", tooltip="feature maps of a test digit / the weights"),
                Binding("t", "digit(1)", "Digit", tooltip="next test digit"),
                Binding("T", "digit(-1)", "Previous digit", show=False), Binding("escape", "back", "Back")]

    STATUS_ID = "weights-status"

    def __init__(self, model_path: Path):
        super().__init__(model_path)
        self.images: list[np.ndarray] = []
        self.page = 0
        self.label = ""
        self.network = None
        self.units: tuple[list[np.ndarray], str] = ([], "")  # the first layer's, kept while maps show
        self.showing_maps = False
        self.test = None  # the model on its test split, read the first time maps are asked for
        self.digit = 0

    def compose(self) -> ComposeResult:
        yield self.status_line()
        with Grid(id="tiles"):
            for slot in range(PAGE):
                yield Static("", id=f"tile-{slot}")
        yield Footer()

    def read(self):
        network, _, meta = load_model(self.model_path)
        layer = next((l for l in network.layers if isinstance(l, (Dense, Conv2D))), None)
        if layer is None:
            raise ValueError(f"{self.model_path}: its network has no dense or conv layer to draw")
        image_shape = tuple(meta.get("data", {}).get("image_shape") or (28, 28))
        return network, unit_images(np.asarray(layer.params["W"], np.float32), layer, image_shape), layer.label()

    def ready(self, content) -> None:
        self.network, images, label = content
        self.images, self.label = images, label
        self.units = (images, label)
        self.refresh_bindings()  # feature maps are offered once the network is known
        self.draw()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """Feature maps are offered for conv models; the digit keys while they show."""
        if action == "maps":
            return self.network is not None and any(isinstance(l, Conv2D) for l in self.network.layers)
        if action == "digit":
            return self.showing_maps
        return True

    def action_maps(self) -> None:
        self.showing_maps = not self.showing_maps
        self.refresh_bindings()
        if not self.showing_maps:
            self.images, self.label = self.units
            self.page = 0
            self.draw()
        elif self.test is None:
            self.set_status("reading the test digits ...")
            self.load_test_split()
        else:
            self.show_maps()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load_test_split(self) -> None:
        try:
            test = open_on_test_split(self.model_path, str(self.app.home))
        except Exception as error:  # shown as a notice; the screen stays
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        self.test = test
        self.app.call_from_thread(self.show_maps)

    def show_maps(self) -> None:
        test = self.test
        image = test.images[self.digit]
        x = test.to_float(image[None])
        maps, name = first_conv_maps(test.network, x)
        read = int(test.network.predict_proba(x)[0].argmax())
        self.images = [image.astype(np.float32)] + [maps[..., unit] for unit in range(maps.shape[-1])]
        self.label = (f"test image {self.digit + 1} of {len(test.images)} (true {test.class_names[test.labels[self.digit]]},"
                      f" read as {test.class_names[read]}): {name}")
        self.draw()

    def action_digit(self, step: int) -> None:
        if self.test is not None:
            self.digit = (self.digit + step) % len(self.test.images)
            self.show_maps()

    def draw(self) -> None:
        pages = max(1, -(-len(self.images) // PAGE))
        shown = self.images[self.page * PAGE:(self.page + 1) * PAGE]
        # In maps mode the first image is the digit itself (drawn as the gallery draws digits).
        first = 1 if self.showing_maps else 0
        scale = float(max((np.abs(i).max() for i in self.images[first:]), default=0.0))
        for slot in range(PAGE):
            tile = self.query_one(f"#tile-{slot}", Static)
            if slot >= len(shown):
                tile.update("")
                continue
            index = self.page * PAGE + slot
            if index < first:
                text = Text("\n".join(render_fit(shown[slot], TILE_COLUMNS, TILE_ROWS, self.app.ascii_art)))
                text.append("\n" * (TILE_ROWS - len(text.plain.splitlines())) + "\nthe digit")
            else:
                text = Text("\n").join(tile_lines(shown[slot], scale, self.app.ascii_art))
                caption = f"map {index - first}" if self.showing_maps else f"#{index} |w|"
                text.append(f"\n{caption} {np.linalg.norm(shown[slot]):.2f}" if not self.showing_maps
                            else f"\n{caption} max {shown[slot].max():.2f}")
            tile.update(text)
        sign = sign_legend(self.app.ascii_art, not self.app.no_color)
        if self.showing_maps:
            self.set_status(
                f"[b]{self.label}[/b]; page {self.page + 1}/{pages}; ink = |output| (one scale for all), "
                f"sign {sign}; t/T: another digit")
            return
        self.set_status(
            f"[b]{self.label}[/b]: {len(self.images)} units, page {self.page + 1}/{pages}; ink = |weight| "
            f"(one scale for all), sign {sign}")

    def action_page(self, step: int) -> None:
        pages = max(1, -(-len(self.images) // PAGE))
        self.page = min(max(self.page + step, 0), pages - 1)
        self.draw()
