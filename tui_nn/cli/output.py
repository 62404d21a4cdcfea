"""Where a command's output goes: files checked writable before the work starts, a stdout whose
reader went away, plain text tables and the BLAS in one line."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

from ..common.outputs import not_a_file, output_problem
from ..data.datasets import find_files
from .exits import InvalidInput


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def terminal_columns() -> int | None:
    """The terminal's width when stdout is one (tables are fitted to it), else None (a file or a
    pipe gets every cell whole)."""
    try:
        return shutil.get_terminal_size().columns if sys.stdout.isatty() else None
    except (AttributeError, ValueError, OSError):
        return None


#: A column is never cut narrower than this, or than its heading.
NARROWEST = 6


def table_text(header: list[str], rows: list[list[str]], columns: int | None = None) -> str:
    """Left-aligned columns two spaces apart; within ``columns`` characters when given, the widest
    columns cut first, each cut cell ending in an ellipsis."""
    widths = [max(len(str(c)) for c in column) for column in zip(header, *rows)]
    if columns is not None:
        widths = _fitted(widths, [len(str(h)) for h in header], columns - 2 * (len(widths) - 1))
    cell = lambda value, width: _cut(str(value), width).ljust(width)  # noqa: E731
    lines = ["  ".join(cell(h, w) for h, w in zip(header, widths)).rstrip()]
    lines += ["  ".join(cell(c, w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)


def _fitted(widths: list[int], headings: list[int], room: int) -> list[int]:
    widths = list(widths)
    floors = [max(NARROWEST, h) for h in headings]
    while sum(widths) > room:
        cuttable = [i for i, w in enumerate(widths) if w > floors[i]]
        if not cuttable:
            break  # as narrow as it reads: the terminal wraps what is left
        widest = max(cuttable, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def check_writable(path: Path, what: str) -> None:
    """Refuse, before training, a path that cannot be written: a folder, one under a file, or in a
    folder that refuses a file (tried for real: permissions alone do not say it for every user)."""
    try:
        if path.is_dir():
            raise InvalidInput(f"{what} {path}: is a folder; give a file name, e.g. {path / 'run.json'}")
    except OSError as error:  # a folder on the way that may not be searched
        raise InvalidInput(f"{what} {path}: cannot be written ({error.strerror or error})") from None
    _check_folder(path.parent, f"{what} {path}", path.name)


def check_folder_writable(folder: Path, what: str) -> None:
    """Refuse, before training, a folder a command will fill (a sweep's) that cannot take a file."""
    try:
        if folder.exists() and not folder.is_dir():
            raise InvalidInput(f"{what} {folder}: is a file, not a folder")
    except OSError as error:
        raise InvalidInput(f"{what} {folder}: cannot be written ({error.strerror or error})") from None
    _check_folder(folder, f"{what} {folder}", "folder")


def _check_folder(folder: Path, where: str, name: str) -> None:
    try:
        blocking = next((p for p in [folder, *folder.parents] if p.exists() and not p.is_dir()), None)
        if blocking is not None:
            raise InvalidInput(f"{where}: {blocking} is a file, not a folder")
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".{name}.write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise InvalidInput(f"{where}: cannot be written ({error.strerror or error})") from None


def check_outputs(outputs: dict[str, Path | str | None], inputs: dict[str, Path | str | None] | None = None,
                  may_replace: dict[str, str] | None = None) -> None:
    """Refuse, before any work, every file a command would write that it must not: one that cannot be
    written (``check_writable``), a device, pipe or socket that a rename would replace, or one that is
    the same file as one of the command's ``inputs`` or another of its ``outputs`` (both named).
    Keys name each file as the user knows it (``--record``, ``the model beside --record``);
    ``may_replace`` pairs an output with the one input it may be (``--checkpoint`` over ``--resume``:
    the checkpoint is read whole before training, and continuing it in place is the point)."""
    given = {what: Path(path) for what, path in outputs.items() if path is not None}
    sources = {what: Path(path) for what, path in (inputs or {}).items() if path is not None}
    for what, path in given.items():
        try:
            folder = path.is_dir()
        except OSError:  # a folder on the way that may not be searched: check_writable says so
            folder = False
        if folder:
            check_writable(path, what)  # its message suggests a file name inside the folder
        allowed = (may_replace or {}).get(what)
        problem = output_problem(path, what, {w: p for w, p in sources.items() if w != allowed},
                                 {w: p for w, p in given.items() if w != what})
        if problem:
            raise InvalidInput(problem)
        check_writable(path, what)


def data_inputs(data_path: str) -> dict[str, Path]:
    """The data files in a spec's ``data.path``, named as inputs no output may be (``the test labels``)."""
    files = find_files(Path(data_path).expanduser()) if data_path else None
    return {f"the {key.replace('_', ' ').replace('train ', 'training ')}": path for key, path in (files or {}).items()}


def check_inputs(inputs: dict[str, Path | str | None]) -> None:
    """Refuse an input that exists and is not a regular file before anything opens it: reading a
    named pipe would wait forever, and a device or folder is never a record, model or checkpoint."""
    for what, path in inputs.items():
        kind = None if path is None else not_a_file(Path(path))
        if kind is not None:
            raise InvalidInput(f"{what} {path}: is {kind}, not a regular file")


def unlistable(folder: Path) -> str | None:
    """Why a folder of the home cannot be listed (``the runs folder X: cannot be read (...)``), or
    None: a folder it may not read would otherwise look empty."""
    try:
        if folder.is_dir():
            os.listdir(folder)
    except OSError as error:
        return f"{folder}: cannot be read ({error.strerror or error})"
    return None


def silence_stdout() -> None:
    """After the reader of stdout went away, send the rest (and the interpreter's final flush) nowhere."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def blas_text(blas: dict[str, Any]) -> str:
    parts = [f"{blas.get('library', '?')} {blas.get('version', '')}".strip(),
             f"{blas.get('architecture', '?')} kernels", f"{blas.get('threads', '?')} thread(s)"]
    if blas.get("conv_part_threads", 1) > 1:
        parts.append(f"conv layers in {blas['conv_part_threads']} parts at once")
    parts += [f"{key}={blas[key]}" for key in ("OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
                                                "MKL_NUM_THREADS") if key in blas]
    return ", ".join(parts)
