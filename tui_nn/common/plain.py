"""Plain data read back from files (JSON, TOML): its nesting checked before anything walks it.

Every reader of a file the project wrote (records, models, presets, caches, sweep summaries) goes
through here, so a hostile file is one clear error naming it, never a RecursionError elsewhere.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import tomllib
from typing import Any, BinaryIO

#: Deeper than anything the project writes (a spec is four levels; a record about six).
MAX_DEPTH = 32


class PlainDataError(ValueError):
    """The text is not the plain data it should be: unreadable, malformed, or nested too deeply."""


def depth(value: Any, limit: int = MAX_DEPTH) -> int:
    """How deeply lists and tables nest in ``value`` (0 for a scalar), counted without recursion;
    stops counting past ``limit``."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, (list, tuple)):
            children = item
        else:
            continue
        deepest = max(deepest, level + 1)
        if deepest > limit:
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest


def _checked(value: Any, where: str, limit: int) -> Any:
    if depth(value, limit) > limit:
        raise PlainDataError(f"{where}: nested more than {limit} levels deep")
    return value


def loads_json(text: str | bytes, where: str, limit: int = MAX_DEPTH) -> Any:
    try:
        value = json.loads(text)
    except RecursionError:
        raise PlainDataError(f"{where}: nested more than {limit} levels deep") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise PlainDataError(f"{where}: not valid JSON ({error})") from None
    return _checked(value, where, limit)


def open_regular(path: str | os.PathLike) -> BinaryIO:
    """``path`` opened for reading if it is a regular file; an ``OSError`` saying what it is otherwise.
    Opened without waiting first, so a named pipe in a folder of records is refused, not read forever."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = next((k for test, k in _KINDS if test(mode)), "not a regular file")
            raise OSError(errno.EINVAL, f"it is {kind}, not a regular file", str(path))
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


def read_regular(path: str | os.PathLike) -> bytes:
    with open_regular(path) as file:
        return file.read()


def read_json(path: str | os.PathLike, limit: int = MAX_DEPTH) -> Any:
    """A JSON file's value; ``PlainDataError`` naming the file otherwise."""
    try:
        text = read_regular(path)
    except OSError as error:
        raise PlainDataError(f"{path}: cannot be read ({error.strerror or error})") from None
    return loads_json(text, str(path), limit)


def loads_toml(text: str, where: str, limit: int = MAX_DEPTH) -> dict[str, Any]:
    try:
        value = tomllib.loads(text)
    except RecursionError:
        raise PlainDataError(f"{where}: nested more than {limit} levels deep") from None
    except tomllib.TOMLDecodeError as error:
        raise PlainDataError(f"{where}: not valid TOML ({error})") from None
    return _checked(value, where, limit)
