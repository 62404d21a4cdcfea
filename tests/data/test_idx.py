import gzip
import hashlib
import os
import struct

import numpy as np
import pytest

from tui_nn.data.idx import IdxError, parse_idx, read_bytes, read_idx

SHA256 = {
    "mnist/t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "mnist/t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    "mnist/train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "mnist/train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
}


def test_bundled_mnist_is_the_checked_data():
    from tui_nn.data.datasets import bundled_mnist_folder

    files = sorted(bundled_mnist_folder().glob("*.gz"))
    assert len(files) == 4
    for path in files:
        assert hashlib.sha256(read_bytes(path)).hexdigest() == SHA256[f"mnist/{path.name[:-3]}"]


def test_reads_shapes_and_first_labels():
    from tui_nn.data.datasets import bundled_mnist_folder

    labels = read_idx(bundled_mnist_folder() / "t10k-labels-idx1-ubyte.gz")
    images = read_idx(bundled_mnist_folder() / "t10k-images-idx3-ubyte.gz")
    assert images.shape == (10_000, 28, 28) and images.dtype == np.uint8
    assert labels[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]


def idx_bytes(array: np.ndarray, code: int = 0x08) -> bytes:
    header = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def test_any_image_size_plain_or_gzip(tmp_path):
    images = np.arange(2 * 5 * 3, dtype=np.uint8).reshape(2, 5, 3)
    (tmp_path / "plain").write_bytes(idx_bytes(images))
    (tmp_path / "packed").write_bytes(gzip.compress(idx_bytes(images)))
    np.testing.assert_array_equal(read_idx(tmp_path / "plain"), images)
    np.testing.assert_array_equal(read_idx(tmp_path / "packed"), images)


def test_big_endian_integers_are_decoded():
    values = np.array([1, -2, 70000], dtype=np.int32)
    np.testing.assert_array_equal(parse_idx(idx_bytes(values, 0x0C)), values)


@pytest.mark.parametrize("data,message", [
    (b"\x01\x00\x08\x01\x00\x00\x00\x02ab", "bad magic"),
    (b"\x00\x00\x07\x01\x00\x00\x00\x02ab", "unknown IDX data type"),
    (b"\x00\x00\x08\x03\x00\x00", "truncated header"),
    (b"\x00\x00\x08\x01\x00\x00\x00\x05ab", "truncated or corrupt"),
])
def test_malformed_files_are_named_in_the_error(tmp_path, data, message):
    path = tmp_path / "broken-idx1-ubyte"
    path.write_bytes(data)
    with pytest.raises(IdxError, match=message) as info:
        read_idx(path)
    assert str(path) in str(info.value)


def test_truncated_gzip_is_reported(tmp_path):
    path = tmp_path / "cut.gz"
    path.write_bytes(gzip.compress(idx_bytes(np.zeros((10, 4, 4), np.uint8)))[:-20])
    with pytest.raises(IdxError, match="cut.gz"):
        read_idx(path)


def test_a_header_with_too_many_dimensions_is_refused_by_name(tmp_path):
    path = tmp_path / "labels-idx1-ubyte"
    path.write_bytes(bytes([0, 0, 0x08, 255]) + b"\x00\x00\x00\x01" * 255 + b"\x07")
    with pytest.raises(IdxError, match=f"{path}: the header declares 255 dimensions"):
        read_idx(path)


def test_a_gzip_stream_longer_than_its_header_is_refused_before_it_is_expanded(tmp_path):
    path = tmp_path / "bomb-idx1-ubyte.gz"
    labels = idx_bytes(np.zeros(10, np.uint8))
    path.write_bytes(gzip.compress(labels + b"\0" * 20_000_000))  # 20 MB of zeros: about 20 KB packed
    assert path.stat().st_size < 100_000
    with pytest.raises(IdxError, match=r"header says \(10,\) \(18 bytes in all\) but the file decompresses to"):
        read_idx(path)


def test_an_honest_header_larger_than_memory_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge-idx3-ubyte"
    shape = (84_000_000, 28, 28)  # 63 GB of images, a sparse file
    header = bytes([0, 0, 0x08, 3]) + struct.pack(">3I", *shape)
    path.write_bytes(header)
    os.truncate(path, len(header) + 84_000_000 * 28 * 28)
    with pytest.raises(IdxError, match=r"GiB\), more than the .* GiB of memory available"):
        read_idx(path)
