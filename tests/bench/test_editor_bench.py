"""The editor bench runs the real editor and reports what it measured (no timing is asserted)."""

from tui_nn.bench.editor import bench_editor, editor_bench_lines
from tui_nn.experiment.presets import find_preset


def test_the_editor_bench_types_and_adds_layers_and_says_so(tmp_path):
    result = bench_editor(find_preset("nielsen-ch6-one-conv", tmp_path), tmp_path, rounds=2)
    assert (result["keystrokes"], result["layer_adds"], result["layers"]) == (4, 2, 4)
    assert result["problems_at_the_end"] == 0  # every digit typed was taken back, every layer removed
    assert 0 < result["validation_ms_median"] <= result["validation_ms_max"]
    assert result["validation_ms_median"] <= result["keystroke_ms_max"]
    for ahead in ("", "_without_spare"):  # with the row made ahead ready, and without it
        assert 0 < result[f"add_layer_ms_median{ahead}"] <= result[f"add_layer_shown_ms_max{ahead}"]
        assert 0 < result[f"add_layer_cpu_ms_median{ahead}"]
    lines = editor_bench_lines(result)
    assert lines[0].startswith("preset nielsen-ch6-one-conv: 4 layers") and "keystroke (4)" in lines[1]
    assert "add a layer (2)" in lines[2] and "without the row made ahead" in lines[4]
