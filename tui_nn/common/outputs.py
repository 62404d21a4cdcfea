"""Where a command may write, checked before any work: never over a device, a pipe or a folder,
never over one of the command's own inputs or another of its outputs."""

from __future__ import annotations

import os
import stat
from pathlib import Path

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"))


def not_a_file(path: Path) -> str | None:
    """What ``path`` is when it exists and is not a regular file (``a character device``), else None."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    return next((kind for test, kind in _KINDS if test(mode)), None if stat.S_ISREG(mode) else "not a regular file")


def same_file(a: Path, b: Path) -> bool:
    """One file under two names: the same resolved path, or the same inode (hard links, bind mounts)."""
    if Path(a).resolve() == Path(b).resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def output_problem(path: Path, what: str, inputs: dict[str, Path] | None = None,
                   outputs: dict[str, Path] | None = None) -> str | None:
    """One line saying why ``what`` (``--record``) may not be written at ``path``, or None.
    ``inputs`` and ``outputs`` name the command's other files (``{"--resume": Path(...)}``)."""
    kind = not_a_file(path)
    if kind is not None:
        return f"{what} {path}: is {kind}, not a regular file; give a file name"
    for role, others in (("input", inputs or {}), ("output", outputs or {})):
        for name, other in others.items():
            if other is not None and same_file(path, other):
                return (f"{what} {path}: is the same file as {name} {other} (the command's {role}); "
                        "give another file name")
    return None
