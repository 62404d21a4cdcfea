"""Gallery: test digits as text art with the network's predictions; filters, sorting, pages."""

from __future__ import annotations

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal
from textual.screen import ModalScreen, Screen
from textual.signal import Signal
from textual.widgets import Footer, Static

from ...render.textart import render_fit
from ..messages import Predictions
from ..widgets.digit_art import DigitCard, verdict_symbol

COLUMNS, ROWS = 5, 2
PAGE = COLUMNS * ROWS
#: The single-digit view's art box: a 28x28 digit at full size, inside the dialog's border.
DETAIL_COLUMNS, DETAIL_ROWS = 28, 14
SORTS = ("test order", "least sure first", "most sure first")


class GalleryScreen(Screen):
    CSS_PATH = "gallery.tcss"
    HELP_TITLE = "Gallery"
    BINDINGS = [
        Binding("m", "mistakes", "Mistakes"),
        Binding("c", "sort", "Sort"),
        Binding("pagedown", "page(1)", "Next"),
        Binding("pageup", "page(-1)", "Prev"),
        Binding("enter", "open", "Open"),
        Binding("home", "jump(0)", show=False),
        Binding("end", "jump(-1)", show=False),
        Binding("escape", "back", "Back"),
        *[Binding(str(d), f"digit({d})", show=False) for d in range(10)],
        Binding("left", "move(-1)", show=False), Binding("right", "move(1)", show=False),
        Binding("up", f"move(-{COLUMNS})", show=False), Binding("down", f"move({COLUMNS})", show=False),
    ]

    def __init__(self, predictions: Predictions, class_names: tuple[str, ...] | None = None,
                 updates: Signal[Predictions] | None = None, true_class: int | None = None,
                 predicted_class: int | None = None):
        """``updates``: newer predictions as they come (a run's epochs), shown in place."""
        super().__init__()
        self.updates = updates
        self.names = class_names or tuple(str(d) for d in range(10))
        self.mistakes_only = False
        self.digit: int | None = true_class
        self.predicted_class = predicted_class  # set from a confusion-matrix cell
        self.sort = 0
        self.page = 0
        self.selected = 0
        self.predictions = predictions
        self.order = np.arange(0)

    def compose(self) -> ComposeResult:
        yield Static("", id="gallery-status")
        with Grid(id="cards"):
            for index in range(PAGE):
                yield DigitCard(id=f"card-{index}")
        yield Footer()

    def on_mount(self) -> None:
        self.set_predictions(self.predictions)
        if self.updates is not None:
            self.updates.subscribe(self, self.set_predictions)

    @property
    def ascii_only(self) -> bool:
        return self.app.ascii_art

    def set_predictions(self, predictions: Predictions) -> None:
        """New predictions (after another epoch) keep the filters and the page."""
        self.predictions = predictions
        self.refilter(keep_page=True)

    def refilter(self, keep_page: bool = False) -> None:
        p = self.predictions
        predicted = p.probabilities.argmax(axis=1)
        confidence = p.probabilities.max(axis=1)
        keep = np.ones(len(p.labels), bool)
        if self.mistakes_only:
            keep &= predicted != p.labels
        if self.digit is not None:
            keep &= p.labels == self.digit
        if self.predicted_class is not None:
            keep &= predicted == self.predicted_class
        order = np.flatnonzero(keep)
        if self.sort == 1:
            order = order[np.argsort(confidence[order], kind="stable")]
        elif self.sort == 2:
            order = order[np.argsort(-confidence[order], kind="stable")]
        self.order = order
        if not keep_page:
            self.page, self.selected = 0, 0
        self.page = min(self.page, max(0, (len(order) - 1) // PAGE))
        self.draw()

    def draw(self) -> None:
        p = self.predictions
        start = self.page * PAGE
        shown = self.order[start:start + PAGE]
        self.selected = min(self.selected, max(0, len(shown) - 1))
        for slot in range(PAGE):
            card = self.query_one(f"#card-{slot}", DigitCard)
            if slot < len(shown):
                i = shown[slot]
                card.show(p.images[i], int(p.labels[i]), p.probabilities[i], self.ascii_only, self.names,
                          selected=slot == self.selected)
            else:
                card.clear()
            card.set_class(slot == self.selected and slot < len(shown), "selected")
        wrong = int(np.count_nonzero(p.probabilities.argmax(axis=1) != p.labels))
        filters = []
        if self.mistakes_only:
            filters.append("mistakes")
        if self.digit is not None:
            filters.append(f"true {self.names[self.digit]}")
        if self.predicted_class is not None:
            filters.append(f"predicted {self.names[self.predicted_class]}")
        pages = max(1, -(-len(self.order) // PAGE))
        # Two lines of their own, so that no filter or sort pushes the count or the page out of sight.
        self.query_one("#gallery-status", Static).update(
            f"[b]epoch {p.epoch}[/b]: {len(p.labels) - wrong} right, {wrong} wrong; page {self.page + 1}/{pages}\n"
            f"{', '.join(filters) or 'all'}, {SORTS[self.sort]}: {len(self.order)}")

    def action_mistakes(self) -> None:
        self.mistakes_only = not self.mistakes_only
        self.refilter()

    def action_digit(self, digit: int) -> None:
        self.digit = None if self.digit == digit else digit
        self.refilter()

    def action_sort(self) -> None:
        self.sort = (self.sort + 1) % len(SORTS)
        self.refilter()

    def action_page(self, step: int) -> None:
        pages = max(1, -(-len(self.order) // PAGE))
        self.page = min(max(self.page + step, 0), pages - 1)
        self.draw()

    def action_jump(self, page: int) -> None:
        """Home and End: the first and the last page."""
        pages = max(1, -(-len(self.order) // PAGE))
        self.page, self.selected = page % pages, 0
        self.draw()

    def action_move(self, step: int) -> None:
        on_page = len(self.order[self.page * PAGE:(self.page + 1) * PAGE])
        if on_page:
            self.selected = min(max(self.selected + step, 0), on_page - 1)
            self.draw()

    def action_open(self) -> None:
        position = self.page * PAGE + self.selected
        if position < len(self.order):
            self.app.push_screen(DigitDetail(self.predictions, int(self.order[position]), self.names, self.ascii_only))

    def action_back(self) -> None:
        self.app.pop_screen()


class DigitDetail(ModalScreen[None]):
    """One digit at full resolution with all ten probabilities as bars."""

    DEFAULT_CSS = """
    DigitDetail { align: center middle; }
    DigitDetail > Horizontal { width: 74; height: 18; border: thick $accent; background: $panel; }
    DigitDetail #art { width: 30; }
    DigitDetail #bars { width: 1fr; padding-left: 1; }
    """
    BINDINGS = [Binding("escape,enter,q", "close", "Close")]

    def __init__(self, predictions: Predictions, index: int, names: tuple[str, ...], ascii_only: bool):
        super().__init__()
        self.p, self.index, self.names, self.ascii_only = predictions, index, names, ascii_only

    def compose(self) -> ComposeResult:
        probabilities = self.p.probabilities[self.index]
        label, predicted = int(self.p.labels[self.index]), int(probabilities.argmax())
        bars = Text(f"test image {self.index}: true {self.names[label]}, predicted {self.names[predicted]} "
                    f"{verdict_symbol(label == predicted, self.ascii_only)}\n\n")
        full, part = ("#", "") if self.ascii_only else ("█", "")
        for digit, value in enumerate(probabilities):
            width = int(round(float(value) * 24))
            style = "green" if digit == label else ("red" if digit == predicted else "")
            bars.append(f"{self.names[digit][:8]:>8} {full * width:<24} {value:6.1%}\n", style=style)
        bars.append("\nEsc, Enter or q closes", style="dim")
        with Horizontal():
            yield Static("\n".join(render_fit(self.p.images[self.index], DETAIL_COLUMNS, DETAIL_ROWS,
                                                self.ascii_only)), id="art")
            yield Static(bars, id="bars")

    def action_close(self) -> None:
        self.dismiss(None)
