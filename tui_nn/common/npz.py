"""NumPy .npz archives checked against their real size before anything is loaded: a member whose
header claims more data than it holds (a 3 KB file claiming 37 GB) is refused, never allocated."""

from __future__ import annotations

import math
import os
import zipfile

import numpy as np

#: Deflate expands repetitive data; beyond this ratio a member is a decompression bomb, not weights.
MAX_EXPANSION = 1000


def npz_problem(path: str | os.PathLike) -> str | None:
    """What makes the archive unsafe or inconsistent to load, naming the member, or None. Reads
    only the members' headers; a file that is no zip archive at all is left to the loader to name."""
    if not zipfile.is_zipfile(path):
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                problem = _member_problem(archive, info)
                if problem:
                    return problem
    except (OSError, zipfile.BadZipFile, EOFError, ValueError) as error:
        return f"not a readable .npz archive ({type(error).__name__}: {error})"
    return None


def _member_problem(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str | None:
    if info.compress_size and info.file_size > MAX_EXPANSION * info.compress_size + (1 << 20):
        return f"member {info.filename} expands {info.file_size} bytes from {info.compress_size}"
    if not info.filename.endswith(".npy"):
        return None
    with archive.open(info) as member:
        version = np.lib.format.read_magic(member)
        read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, _, dtype = read_header(member, max_header_size=10_000)
        header = member.tell()
    if dtype.hasobject:
        return f"member {info.filename} holds Python objects (never loaded)"
    declared = math.prod(shape) * dtype.itemsize
    held = info.file_size - header
    if declared != held:
        return f"member {info.filename} declares shape {tuple(shape)} ({declared} bytes) but holds {held} bytes"
    return None
