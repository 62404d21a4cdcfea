"""How much memory a run will need, estimated before anything is allocated.

A layer of a billion units or a batch whose activations do not fit would otherwise die inside
NumPy with an allocation error; this turns it into a clear refusal with the numbers.
"""

from __future__ import annotations

import math

import numpy as np

from ..common.memory import available_bytes
from ..engine.network import EVAL_NUMBERS
from .architecture import layer_group, summarize
from .spec.schema import Spec

#: Copies of every parameter a run keeps: the weights, their gradients, up to three optimizer
#: slots, and the float64 draw an initializer makes before the cast.
PARAMETER_COPIES = 7
#: Copies of every activation a training step keeps: forward caches, backward gradients, temporaries.
ACTIVATION_COPIES = 4


def estimate_bytes(spec: Spec, input_shape: tuple[int, ...]) -> tuple[int, int]:
    """(bytes for parameters and their companions, bytes for one training batch's activations
    plus one evaluation slice's)."""
    itemsize = np.dtype(spec.training.dtype).itemsize
    rows, _, _ = summarize(spec, input_shape)
    parameters = sum(row.parameters for row in rows)
    per_sample = math.prod(input_shape) + sum(math.prod(row.output_shape) for row in rows)
    widest = max([math.prod(input_shape), *(math.prod(row.output_shape) for row in rows)])
    for row in rows:  # a conv layer's patch matrix, with its gradient
        layer = layer_group(spec, row.index)[0]
        if hasattr(layer, "patch_numbers"):
            per_sample += 2 * layer.patch_numbers(row.input_shape)
            widest = max(widest, layer.patch_numbers(row.input_shape))
    batch = max(spec.training.batch_size, 1)
    evaluation = max(1, EVAL_NUMBERS // max(widest, 1))  # samples in one evaluation slice (Sequential.eval_slice)
    return parameters * itemsize * PARAMETER_COPIES, (batch + evaluation) * per_sample * itemsize * ACTIVATION_COPIES




def memory_problem(spec: Spec, input_shape: tuple[int, ...]) -> str | None:
    """Why the run cannot fit in memory, with the estimate, or None."""
    parameters, activations = estimate_bytes(spec, input_shape)
    available = available_bytes()
    if available is None or parameters + activations <= available:
        return None
    return (f"this network needs about {_gb(parameters + activations)} (parameters and their gradients and "
            f"optimizer state {_gb(parameters)}, one batch of {spec.training.batch_size} and one evaluation slice {_gb(activations)}) and "
            f"this machine has {_gb(available)} free; use fewer units or filters, or a smaller batch")


def _gb(size: int) -> str:
    return f"{size / 2**30:.1f} GB" if size >= 2**30 else f"{size / 2**20:.0f} MB"
