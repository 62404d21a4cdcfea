"""Atomic file writes (standard library only, shared by every layer of the package)."""

from __future__ import annotations

import errno
import glob
import os
import stat
import tempfile
import time
from pathlib import Path


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename over it (readers never see half a file)."""
    target = Path(path)
    mode = _mode_for(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(target)
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as error:
        raise _naming(error, target) from error
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as error:
        Path(tmp).unlink(missing_ok=True)
        raise _naming(error, target) from error
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _naming(error: OSError, target: Path) -> OSError:
    """The failure named by the file the caller asked for (a full disk's ENOSPC names no file, and
    the temporary file's name means nothing to a user). The errno's own subclass is kept."""
    if isinstance(error, NotAFile) or error.filename == str(target):
        return error
    return OSError(error.errno, error.strerror or str(error), str(target))


class NotAFile(OSError):
    """The target exists and is not a regular file (a device, a pipe, a folder): renaming over it would replace it."""


def _mode_for(target: Path) -> int:
    """An existing file keeps its mode; a new one gets what the user's umask allows (mkstemp's 0600 would not)."""
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return 0o666 & ~_UMASK
    if not stat.S_ISREG(info.st_mode):
        raise NotAFile(errno.EEXIST, "exists and is not a regular file", str(target))
    return stat.S_IMODE(info.st_mode)


def _read_umask() -> int:
    """The process's umask, read without changing it where Linux reports it (setting it briefly is not
    safe while other threads create files)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()

#: A temporary file of a write that was killed (SIGKILL, a power cut) is older than any write in progress.
STALE_SECONDS = 600


def _remove_stale(target: Path) -> None:
    """Temporary files of this target left by a process that died mid-write: removed, not piled up."""
    now = time.time()
    for leftover in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        try:
            if now - leftover.stat().st_mtime > STALE_SECONDS:
                leftover.unlink()
        except OSError:
            pass  # another process's, or gone already


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))
