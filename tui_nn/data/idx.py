"""The IDX file format (LeCun's MNIST format), gzipped or plain.

Header: two zero bytes, a type code, the number of dimensions, then each dimension as a
big-endian uint32; the data follows in row-major order.
"""

from __future__ import annotations

import gzip
import math
import os
import struct
import zlib
from pathlib import Path

import numpy as np

from ..common.memory import available_bytes

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


#: IDX files of this project hold labels (1 dimension) or images (2 to 4): more is not a dataset.
MAX_DIMENSIONS = 4


def _check_header(type_code: int, ndim: int, name: str) -> np.dtype:
    if type_code not in DTYPES:
        raise IdxError(f"{name}: unknown IDX data type 0x{type_code:02x}")
    if not 1 <= ndim <= MAX_DIMENSIONS:
        raise IdxError(f"{name}: the header declares {ndim} dimensions; IDX data sets have 1 to {MAX_DIMENSIONS}")
    return np.dtype(DTYPES[type_code])


def _data_bytes(shape: tuple[int, ...], dtype: np.dtype) -> int:
    return math.prod(shape) * dtype.itemsize


def parse_idx(data: bytes, name: str = "<bytes>") -> np.ndarray:
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise IdxError(f"{name}: not an IDX file (bad magic number)")
    dtype = _check_header(data[2], data[3], name)
    header_size = 4 + 4 * data[3]
    if len(data) < header_size:
        raise IdxError(f"{name}: truncated header")
    shape = struct.unpack(f">{data[3]}I", data[4:header_size])
    expected = _data_bytes(shape, dtype)
    actual = len(data) - header_size
    if actual != expected:
        raise IdxError(f"{name}: header says {shape} ({expected} bytes of data) but the file holds "
                       f"{actual} bytes: truncated or corrupt")
    return _as_native(np.frombuffer(data, dtype=dtype, offset=header_size).reshape(shape))


def _as_native(array: np.ndarray) -> np.ndarray:
    return array.astype(array.dtype.newbyteorder("="), copy=False) if array.dtype.byteorder == ">" else array


def _is_gzip(path: str | os.PathLike) -> bool:
    with open(path, "rb") as raw:
        return raw.read(2) == GZIP_MAGIC


def _read_header(file, name: str) -> tuple[tuple[int, ...], np.dtype, int]:
    """(shape, dtype, header size) from an open IDX stream."""
    head = file.read(4)
    if len(head) < 4 or head[0] != 0 or head[1] != 0:
        raise IdxError(f"{name}: not an IDX file (bad magic number)")
    dtype = _check_header(head[2], head[3], name)
    dims = file.read(4 * head[3])
    if len(dims) < 4 * head[3]:
        raise IdxError(f"{name}: truncated header")
    return struct.unpack(f">{head[3]}I", dims), dtype, 4 + 4 * head[3]


def _stored_size(path: Path, gzipped: bool) -> int:
    """The uncompressed size: a plain file's own, a gzip file's from its trailer (modulo 2**32)."""
    if not gzipped:
        return path.stat().st_size
    with open(path, "rb") as raw:
        raw.seek(-4, os.SEEK_END)
        return struct.unpack("<I", raw.read(4))[0]


def _check_size(path: Path, gzipped: bool, shape: tuple[int, ...], total: int) -> None:
    stored = _stored_size(path, gzipped)
    if stored != (total % 2**32 if gzipped else total):
        holds = "decompresses to" if gzipped else "holds"
        raise IdxError(f"{path}: header says {shape} ({total} bytes in all) but the file {holds} "
                       f"{stored}{' (modulo 4 GiB)' if gzipped else ''} bytes: truncated or corrupt")


def _check_memory(path: Path, shape: tuple[int, ...], size: int) -> None:
    available = available_bytes() or 4 * 2**30  # when the system does not say: a generous bound
    if size > available:
        raise IdxError(f"{path}: header says {shape} ({size / 2**30:.1f} GiB), more than the "
                       f"{available / 2**30:.1f} GiB of memory available")




def idx_header(path: str | os.PathLike) -> tuple[int, ...]:
    """The shape an IDX file declares, reading only its first bytes; the file's size (a gzip
    file's decompressed size) is checked against it too."""
    path = Path(path)
    try:
        gzipped = _is_gzip(path)
        with (gzip.open if gzipped else open)(path, "rb") as file:
            shape, dtype, header = _read_header(file, str(path))
        _check_size(path, gzipped, shape, header + _data_bytes(shape, dtype))
    except (EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise IdxError(f"{path}: corrupt or truncated gzip data ({error})") from None
    return shape


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """The array an IDX file holds. The size its header declares is checked against the file (a
    gzip file's trailer) and the memory available before it is read, and reading stops there:
    a stream that goes on past it (a decompression bomb) is refused, not expanded."""
    path = Path(path)
    try:
        gzipped = _is_gzip(path)
        with (gzip.open if gzipped else open)(path, "rb") as file:
            shape, dtype, header = _read_header(file, str(path))
            size = _data_bytes(shape, dtype)
            _check_size(path, gzipped, shape, header + size)
            _check_memory(path, shape, size)
            data = file.read(size)
            if len(data) < size:
                raise IdxError(f"{path}: header says {shape} ({size} bytes of data) but the file holds "
                               f"{len(data)} bytes: truncated or corrupt")
            if file.read(1):
                raise IdxError(f"{path}: more data than its header {shape} declares: corrupt")
    except (EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise IdxError(f"{path}: corrupt or truncated gzip data ({error})") from None
    return _as_native(np.frombuffer(data, dtype=dtype).reshape(shape))
