"""Outputs never replace a device, a pipe, a folder, an input or another output; written files follow the umask."""

import os
import socket
import stat
from pathlib import Path

import pytest

from tui_nn.common.atomic import NotAFile, atomic_write_text
from tui_nn.common.outputs import output_problem, same_file


def test_a_device_a_fifo_a_socket_and_a_folder_are_refused_by_name(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    sock_path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    try:
        for path, kind in ((fifo, "a named pipe"), (sock_path, "a socket"), (tmp_path, "a folder")):
            assert f"is {kind}" in output_problem(path, "--record")
        assert "a character device" in output_problem(Path(os.devnull), "--record")
    finally:
        server.close()


def test_the_same_file_under_another_name_is_refused_naming_both(tmp_path):
    spec = tmp_path / "spec.toml"
    spec.write_text("seed = 1\n")
    link = tmp_path / "hard.toml"
    os.link(spec, link)
    problem = output_problem(link, "--record", inputs={"the spec": spec})
    assert problem and "--record" in problem and "the spec" in problem and str(spec) in problem
    assert output_problem(tmp_path / "sub" / ".." / "spec.toml", "--checkpoint", outputs={"--record": spec})
    assert output_problem(tmp_path / "other.json", "--record", inputs={"the spec": spec}) is None
    assert same_file(spec, link) and not same_file(spec, tmp_path / "missing")


def test_atomic_writes_refuse_to_rename_over_what_is_not_a_file(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(NotAFile):
        atomic_write_text(fifo, "{}")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert list(tmp_path.iterdir()) == [fifo]  # no temporary file left beside it


def test_new_files_follow_the_umask_and_existing_ones_keep_their_mode(tmp_path):
    new = tmp_path / "new.json"
    atomic_write_text(new, "{}")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(os.stat(new).st_mode) == 0o666 & ~umask
    kept = tmp_path / "kept.json"
    kept.write_text("old")
    os.chmod(kept, 0o640)
    atomic_write_text(kept, "new")
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o640 and kept.read_text() == "new"
