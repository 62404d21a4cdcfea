"""A conv preset trains for real in the default test run (the full runs are marked slow)."""

from dataclasses import replace
from pathlib import Path

from tui_nn.engine.events import EpochEnd
from tui_nn.experiment.presets import find_preset
from tui_nn.experiment.session import prepare


def test_a_conv_preset_trains_a_few_hundred_batches_and_its_loss_falls(mnist):
    spec = find_preset("nielsen-ch6-relu", Path(".")).spec
    spec = replace(spec, data=replace(spec.data, train_size=1500, validation_size=1000, test_size=1000),
                   training=replace(spec.training, epochs=2))  # 2 x 150 batches of 10
    epochs = [e for e in prepare(spec, dataset=mnist).events() if isinstance(e, EpochEnd)]
    assert len(epochs) == 2
    assert epochs[1].train_loss < 0.7 * epochs[0].train_loss and epochs[0].train_loss < 2.3  # ln 10 = 2.30 at the start
    assert epochs[1].val_accuracy > 0.85
