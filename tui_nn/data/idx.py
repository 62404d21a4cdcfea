"""The IDX file format (LeCun's MNIST format), gzipped or plain.

Header: two zero bytes, a type code, the number of dimensions, then each dimension as a
big-endian uint32; the data follows in row-major order.
"""

from __future__ import annotations

import gzip
import os
import struct
import zlib
from pathlib import Path

import numpy as np

DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
GZIP_MAGIC = b"\x1f\x8b"


class IdxError(ValueError):
    """A file that is not a well-formed IDX file; the message names the file."""


def read_bytes(path: str | os.PathLike) -> bytes:
    """The file's content, decompressed when it is gzip (detected by its magic bytes, not its name)."""
    raw = Path(path).read_bytes()
    if raw[:2] != GZIP_MAGIC:
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as error:  # a bad checksum, a cut file, a damaged deflate block
        raise IdxError(f"{path}: corrupt or truncated gzip data ({error})") from None


def parse_idx(data: bytes, name: str = "<bytes>") -> np.ndarray:
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise IdxError(f"{name}: not an IDX file (bad magic number)")
    type_code, ndim = data[2], data[3]
    if type_code not in DTYPES:
        raise IdxError(f"{name}: unknown IDX data type 0x{type_code:02x}")
    header_size = 4 + 4 * ndim
    if len(data) < header_size:
        raise IdxError(f"{name}: truncated header")
    shape = struct.unpack(f">{ndim}I", data[4:header_size])
    dtype = np.dtype(DTYPES[type_code])
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    actual = len(data) - header_size
    if actual != expected:
        raise IdxError(f"{name}: header says {shape} ({expected} bytes of data) but the file holds "
                       f"{actual} bytes: truncated or corrupt")
    array = np.frombuffer(data, dtype=dtype, offset=header_size).reshape(shape)
    return array.astype(dtype.newbyteorder("="), copy=False) if dtype.byteorder == ">" else array


def idx_header(path: str | os.PathLike) -> tuple[int, ...]:
    """The shape an IDX file declares, reading only its first bytes (of a plain file, the size is
    checked against it too)."""
    with open(path, "rb") as raw:
        gzipped = raw.read(2) == GZIP_MAGIC
    opener = gzip.open if gzipped else open
    try:
        with opener(path, "rb") as file:
            head = file.read(4)
            if len(head) < 4 or head[0] != 0 or head[1] != 0 or head[2] not in DTYPES:
                raise IdxError(f"{path}: not an IDX file (bad magic number)")
            dims = file.read(4 * head[3])
    except (OSError, EOFError, zlib.error) as error:
        raise IdxError(f"{path}: corrupt or truncated gzip data ({error})") from None
    if len(dims) < 4 * head[3]:
        raise IdxError(f"{path}: truncated header")
    shape = struct.unpack(f">{head[3]}I", dims)
    if not gzipped:
        expected = 4 + 4 * head[3] + int(np.prod(shape, dtype=np.int64)) * np.dtype(DTYPES[head[2]]).itemsize
        if Path(path).stat().st_size != expected:
            raise IdxError(f"{path}: header says {shape} but the file holds {Path(path).stat().st_size} bytes: "
                           "truncated or corrupt")
    return shape


def read_idx(path: str | os.PathLike) -> np.ndarray:
    return parse_idx(read_bytes(path), str(path))
