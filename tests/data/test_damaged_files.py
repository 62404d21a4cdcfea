"""Damaged data files and caches: a cache is rebuilt whatever its damage; a damaged data file is
named in one clear error, exit 2 from the CLI, never a traceback."""

import gzip
import io
import subprocess
import sys
import zipfile

import numpy as np
import pytest

from tui_nn.data import IdxError, load_dataset
from tui_nn.data.idx import read_idx

from .test_idx import idx_bytes


def _npz(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _member_damaged(data: bytes) -> bytes:
    """A zip whose first member's bytes are flipped (the central directory still reads)."""
    damaged = bytearray(data)
    offset = zipfile.ZipFile(io.BytesIO(data)).infolist()[0].header_offset + 60
    damaged[offset:offset + 40] = bytes(b ^ 0xFF for b in damaged[offset:offset + 40])
    return bytes(damaged)


@pytest.fixture(scope="module")
def good_cache(decoded_mnist):
    return decoded_mnist.read_bytes()


@pytest.mark.parametrize("damage", [
    lambda good: b"",                                   # an empty file (a failed save)
    lambda good: good[: len(good) // 2],                # truncated
    lambda good: b"PK\x03\x04" + b"\0" * 100,           # a zip header and nothing behind it
    lambda good: _npz(train_images=np.zeros(3)),        # a valid npz of something else
    lambda good: _npz(train_images=np.zeros((5, 28, 28), np.uint8), train_labels=np.zeros(4, np.uint8),
                      test_images=np.zeros((5, 28, 28), np.uint8), test_labels=np.zeros(5, np.uint8)),  # inconsistent
    _member_damaged,                                    # a damaged member inside a readable zip
], ids=["empty", "truncated", "zip-header-only", "other-arrays", "inconsistent", "damaged-member"])
def test_a_damaged_cache_is_rebuilt_whatever_the_damage(tmp_path, decoded_mnist, good_cache, damage):
    cached = tmp_path / decoded_mnist.name  # where a first load leaves it
    cached.write_bytes(damage(good_cache))
    again = load_dataset("mnist", cache=tmp_path)
    assert again.train_images.shape == (60000, 28, 28) and len(again.test_labels) == 10000
    assert list(tmp_path.glob("*.npz")) == [cached] and cached.read_bytes() == good_cache  # written anew


def _corrupt_block(data: bytes) -> bytes:
    """Flip bytes inside the deflate stream (past the gzip header), not just the checksum."""
    damaged = bytearray(data)
    for position in range(20, len(damaged) - 8, 37):
        damaged[position] ^= 0x5A
    return bytes(damaged)


def test_a_damaged_gzip_block_names_the_file(tmp_path):
    path = tmp_path / "broken.gz"
    path.write_bytes(_corrupt_block(gzip.compress(idx_bytes(np.arange(4000, dtype=np.uint8).reshape(10, 20, 20)))))
    with pytest.raises(IdxError, match="broken.gz: corrupt or truncated gzip data"):
        read_idx(path)


def test_the_cli_names_a_damaged_data_file_and_exits_2(tmp_path, idx_data):
    folder = tmp_path / "mnist"
    folder.mkdir()
    for source in (idx_data / "mnist").iterdir():
        data = source.read_bytes()
        (folder / source.name).write_bytes(_corrupt_block(data) if "t10k-images" in source.name else data)
    out = subprocess.run([sys.executable, "-m", "tui_nn", "--home", str(tmp_path), "run", "first-look",
                          "--set", f'data.path="{folder}"'], capture_output=True, text=True, timeout=300)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "t10k-images-idx3-ubyte.gz: corrupt or truncated gzip data" in lines[0]
