"""How every screen and printout writes a metric: one set of formatters for the CLI and the app."""

from __future__ import annotations

import math


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def accuracy_text(value: float | None) -> str:
    """An accuracy (a fraction) as a percentage: ``97.53%``; ``-`` when there is none."""
    return "-" if _missing(value) else f"{value:.2%}"


def percent_number(value: float | None) -> str:
    """An accuracy as a bare percentage for narrow columns: ``97.53``."""
    return "-" if _missing(value) else f"{value * 100:.2f}"


def loss_text(value: float | None) -> str:
    """A loss to four decimals: ``0.1234``."""
    return "-" if _missing(value) else f"{value:.4f}"


def metric_text(name: str, value: float | None) -> str:
    """A metric by its record key: accuracies as percentages, losses to four decimals."""
    return accuracy_text(value) if name.endswith("accuracy") else loss_text(value)
