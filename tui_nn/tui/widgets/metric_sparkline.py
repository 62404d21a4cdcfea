"""A labelled sparkline: the curve plus its last value and its range (the curve itself has no numbers)."""

from __future__ import annotations

import math
from statistics import fmean

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, Sparkline


class MetricSparkline(Vertical):
    """Keeps its own history; each new value replaces the widget's data list (a mutable reactive
    changed in place would not redraw). Buckets are averaged, not maxed, so a dip stays visible."""

    DEFAULT_CSS = """
    MetricSparkline { height: 3; }
    MetricSparkline > Label { height: 1; width: 100%; }
    MetricSparkline > Sparkline { height: 2; }
    MetricSparkline.higher-is-better > Sparkline > .sparkline--max-color { color: $success; }
    MetricSparkline.higher-is-better > Sparkline > .sparkline--min-color { color: $error; }
    MetricSparkline.lower-is-better > Sparkline > .sparkline--max-color { color: $error; }
    MetricSparkline.lower-is-better > Sparkline > .sparkline--min-color { color: $success; }
    """

    def __init__(self, title: str, percent: bool, higher_is_better: bool, id: str | None = None):
        super().__init__(id=id, classes="higher-is-better" if higher_is_better else "lower-is-better")
        self.title = title
        self.percent = percent
        self.values: list[float] = []

    def compose(self) -> ComposeResult:
        yield Label(f"{self.title} -")
        yield Sparkline([], summary_function=fmean)

    def fmt(self, value: float) -> str:
        return f"{value * 100:.2f}" if self.percent else f"{value:.4f}"

    def append(self, value: float | None) -> None:
        if value is None or not math.isfinite(value):
            return  # a NaN or inf would break the min/max scaling of the curve
        self.values = [*self.values, value]
        self.query_one(Sparkline).data = list(self.values)
        # "last [min..max]": short enough for the column beside the epoch table at 80x24.
        self.query_one(Label).update(Text(f"{self.title} {self.fmt(value)} "
                                          f"[{self.fmt(min(self.values))}..{self.fmt(max(self.values))}]"))
