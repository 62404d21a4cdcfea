"""CSV tables as datasets: a header row naming the columns, one target column, numbers elsewhere.

Each row is checked as it is read (the ``csv`` module, then explicit checks), so a bad table gets
one line naming the file, the line and the column. The target decides the task unless told:
text, booleans or a few distinct integers make a classification (class names from the values),
other numbers a regression. Rows are shuffled with the seed and split into training and test.
"""

from __future__ import annotations

import csv
import math
import os
from pathlib import Path

import numpy as np

from ..common.memory import available_bytes
from .datasets import Dataset, DatasetError

#: Integer targets with at most this many distinct values are classes; more make a regression.
MAX_INTEGER_CLASSES = 20
TABLE_TRAIN_FRACTION = 0.8
TASKS = ("auto", "classification", "regression")
BOOLEANS = {"true", "false"}
ROWS_PER_BLOCK = 4096
#: Each cell takes at least two bytes of text ("0,") and becomes an 8-byte float: a table needs at
#: most 4 bytes of memory per byte of file, and as much again while its blocks are joined.
MEMORY_PER_FILE_BYTE = 8




def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _size_text(size: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return ""


def check_size(path: Path, memory: int | None) -> None:
    """Refuse a file that could not be held as numbers, before reading any of it."""
    size = path.stat().st_size
    if memory is not None and size * MEMORY_PER_FILE_BYTE > memory:
        raise DatasetError(f"{path}: {_size_text(size)} of text may need up to "
                           f"{_size_text(size * MEMORY_PER_FILE_BYTE)} as numbers while it is read; "
                           f"{_size_text(memory)} of memory is available")


def read_table(path: str | os.PathLike, target: str = "", task: str = "auto", seed: int = 0,
               train_fraction: float | None = None, memory: int | None = -1) -> Dataset:
    """The CSV file at ``path`` as a dataset; ``DatasetError`` naming the file, line and column of
    the first problem. ``target``: the target column (default the last); ``memory``: bytes the
    table may take (default: the memory available now; None: no limit)."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise DatasetError(f"{path}: {'not a file' if path.exists() else 'no such file'}")
    if task not in TASKS:
        raise DatasetError(f"data.task = {task!r}: one of {', '.join(TASKS)}")
    check_size(path, available_bytes() if memory == -1 else memory)
    try:
        with open(path, newline="", encoding="utf-8-sig") as file:
            header, features, targets, lines = _read_rows(path, csv.reader(file), target)
    except UnicodeDecodeError as error:
        raise DatasetError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    except csv.Error as error:
        raise DatasetError(f"{path}: not a readable CSV table ({error})") from None
    target_index = header.index(target) if target else len(header) - 1
    columns = tuple(name for i, name in enumerate(header) if i != target_index)
    labels, classes, names, kind = _targets(path, header[target_index], targets, lines, task)
    order = np.random.default_rng(seed).permutation(len(labels))
    fraction = TABLE_TRAIN_FRACTION if train_fraction is None else train_fraction
    train = min(max(int(len(labels) * fraction), 1), len(labels) - 1)
    features, labels = features[order], labels[order]
    return Dataset(path.stem, features[:train], labels[:train], features[train:], labels[train:], classes, names,
                   f"table {path} ({len(labels)} rows, target {header[target_index]!r})", kind, columns)


def _read_rows(path: Path, rows, target: str) -> tuple[list[str], np.ndarray, list[str], list[int]]:
    """The header, the feature columns as floats, the target cells as text, and each row's line."""
    header = next((row for row in rows if row), None)
    if header is None:
        raise DatasetError(f"{path}: empty; the first line must name the columns")
    header = [name.strip() for name in header]
    line = rows.line_num
    if all(_number(name) is not None for name in header):
        raise DatasetError(f"{path}: line {line}: no header; the first line holds numbers ({', '.join(header[:3])}"
                           f"{', ...' if len(header) > 3 else ''}), it must name the columns")
    blank = next((i for i, name in enumerate(header) if not name), None)
    if blank is not None:
        raise DatasetError(f"{path}: line {line}, column {blank + 1}: the header leaves this column unnamed")
    repeated = next((name for i, name in enumerate(header) if name in header[:i]), None)
    if repeated is not None:
        raise DatasetError(f"{path}: line {line}: the header names column {repeated!r} twice")
    if len(header) < 2:
        raise DatasetError(f"{path}: line {line}: one column ({header[0]!r}); a table needs the target and at "
                           "least one feature column")
    if target and target not in header:
        raise DatasetError(f"{path}: line {line}: no column {target!r} for data.target; the columns are "
                           f"{', '.join(header)}")
    target_index = header.index(target) if target else len(header) - 1
    width = len(header)
    blocks, block, targets, lines = [], [], [], []
    for row in rows:
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # blank lines separate nothing
        line = rows.line_num
        if len(row) != width:
            raise DatasetError(f"{path}: line {line}: {len(row)} cells, the header has {width} columns")
        values = []
        for index, cell in enumerate(row):
            if index == target_index:
                continue
            value = _number(cell)
            if value is None:
                what = "empty cell" if not cell.strip() else f"{cell.strip()!r} is not a number"
                raise DatasetError(f"{path}: line {line}, column {header[index]!r}: {what} (feature columns "
                                   "hold numbers)")
            values.append(value)
        cell = row[target_index].strip()
        if not cell:
            raise DatasetError(f"{path}: line {line}, column {header[target_index]!r}: empty target cell")
        block.append(values)
        targets.append(cell)
        lines.append(line)
        if len(block) == ROWS_PER_BLOCK:
            blocks.append(np.array(block, np.float64))
            block = []
    if block:
        blocks.append(np.array(block, np.float64))
    if len(targets) < 2:
        raise DatasetError(f"{path}: {len(targets)} data row{'' if len(targets) == 1 else 's'} under the header; "
                           "a table needs at least 2 (one to train on, one to test)")
    return header, np.concatenate(blocks), targets, lines


def _targets(path: Path, column: str, cells: list[str], lines: list[int],
             task: str) -> tuple[np.ndarray, int, tuple[str, ...], str]:
    """(labels, classes, class names, task): class indices, or float values for a regression."""
    numbers = [_number(cell) for cell in cells]
    numeric = all(value is not None for value in numbers)
    if task == "auto":
        integers = numeric and all(float(v).is_integer() for v in numbers)
        booleans = all(cell.lower() in BOOLEANS for cell in cells)
        few = integers and len(set(numbers)) <= MAX_INTEGER_CLASSES
        task = "classification" if (not numeric or booleans or few) else "regression"
    if task == "regression":
        bad = next((i for i, value in enumerate(numbers) if value is None), None)
        if bad is not None:
            raise DatasetError(f"{path}: line {lines[bad]}, column {column!r}: {cells[bad]!r} is not a number "
                               "(a regression target)")
        return np.array(numbers, np.float64), 0, (), "regression"
    keys = [f"{value:g}" if value is not None and numeric else cell for value, cell in zip(numbers, cells)]
    names = sorted(set(keys), key=(lambda k: float(k)) if numeric else None)
    if len(names) < 2:
        raise DatasetError(f"{path}: lines {lines[0]}-{lines[-1]}, column {column!r}: the target has one value "
                           f"({names[0]!r}) in every row; a classification needs at least two classes")
    index = {name: i for i, name in enumerate(names)}
    return np.array([index[key] for key in keys], np.intp), len(names), tuple(names), "classification"
