"""A sequential network: the layers, their named parameters, and the fused output loss."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .layers import ActivationLayer, Conv2D, Dense, Layer
from .losses import Loss
from .shapes import Shape, ShapeError, as_shape

#: Evaluation runs in slices of at most this many numbers per layer's patch matrix or output, so a
#: 10,000-image test pass never builds an array of gigabytes.
EVAL_NUMBERS = 8_000_000


ALIGN_BYTES = 64

#: Dense weights are stored column-major for training batches below this size (see Dense).
COLUMN_MAJOR_BATCH = 32


def _aligned_zeros(size: int, dtype: np.dtype) -> np.ndarray:
    """Zeros whose first element sits on an ALIGN_BYTES boundary."""
    raw = np.zeros(size * dtype.itemsize + ALIGN_BYTES, np.uint8)
    start = -raw.ctypes.data % ALIGN_BYTES
    return raw[start:start + size * dtype.itemsize].view(dtype)


class PackedSlot(NamedTuple):
    """Where one parameter lies in the packed buffers: its path, first element, shape, and whether
    it is stored column-major (dense weights are, see Dense)."""

    path: str
    offset: int
    shape: tuple[int, ...]
    fortran: bool = False

    @property
    def size(self) -> int:
        return math.prod(self.shape)

    def view(self, buffer: np.ndarray) -> np.ndarray:
        """This parameter's part of ``buffer``, in its shape and memory order; no copy."""
        part = buffer[self.offset:self.offset + self.size]
        return part.reshape(self.shape[::-1]).T if self.fortran else part.reshape(self.shape)


@dataclass(frozen=True)
class LayerSummary:
    """One row of the summary people know from Keras: what a layer makes of its input."""

    index: int
    label: str
    output_shape: Shape
    parameters: int


def fold_shapes(layers: list[Layer], input_shape: Shape) -> list[LayerSummary]:
    """Each layer's output shape and parameter count, in order; raises ``ShapeError`` naming the
    first layer (by index) that cannot take its input."""
    rows, shape = [], as_shape(input_shape)
    for index, layer in enumerate(layers):
        try:
            out = layer.output_shape(shape)
        except ShapeError as error:
            raise ShapeError(f"layers[{index}] ({layer.label()}): {error}") from None
        rows.append(LayerSummary(index, layer.label(), out, layer.parameter_count(shape)))
        shape = out
    return rows


class Sequential:
    """Layers applied in order; the last layer's output is the pre-activation ``z`` that ``loss``
    turns into outputs (the output activation lives in the loss, where it is computed stably).

    ``input_shape`` is one sample's shape; flat input rows (what the data feed serves) are viewed
    in it without a copy. Parameters are addressed by full path, ``"layers.<index>.<name>"`` (as in
    torch ``state_dict``).
    """

    def __init__(self, layers: list[Layer], loss: Loss, input_shape: int | Shape):
        self.layers = layers
        self.loss = loss
        self.input_shape = as_shape(input_shape)
        self.dtype = np.dtype(np.float32)

    @property
    def input_units(self) -> int:
        return math.prod(self.input_shape)

    def build(self, rng: np.random.Generator, dtype: np.dtype | str = np.float32,
              batch_size: int | None = None) -> "Sequential":
        """Draw the weights. ``batch_size``, the training batch, picks the dense weights' memory
        order (COLUMN_MAJOR_BATCH): the values drawn are the same either way, results agree to rounding."""
        self.dtype = np.dtype(dtype)
        self.summary()  # a shape that does not fit fails here, before any weight is drawn
        shape = self.input_shape
        for layer in self.layers:
            if isinstance(layer, Dense):
                layer.column_major = batch_size is not None and batch_size < COLUMN_MAJOR_BATCH
            shape = layer.build(shape, rng, self.dtype)
        self.output_units = math.prod(shape)
        first_trainable = next((i for i, layer in enumerate(self.layers) if layer.params), None)
        for index, layer in enumerate(self.layers):
            # Nothing before the first parameterized layer needs a gradient: skip x^T products there.
            layer.need_input_grad = first_trainable is not None and index > first_trainable
        self._pack()
        self._params = {path: array for path, array in self.named_params()}
        self._grads = {f"layers.{i}.{name}": layer.grads[name]
                       for i, layer in enumerate(self.layers) for name in layer.params}
        return self

    def _pack(self) -> None:
        """Move every parameter into one buffer and every gradient into another, leaving each
        layer views of its own part: an optimizer step is then a few whole-buffer operations
        (``Optimizer.step_packed``) instead of a loop over arrays. ``layout`` lists
        a ``PackedSlot`` per parameter in ``named_params`` order."""
        entries = [(f"layers.{i}.{name}", layer, name) for i, layer in enumerate(self.layers) for name in layer.params]
        align = max(1, ALIGN_BYTES // self.dtype.itemsize)  # each array starts on a cache line, as the BLAS likes
        total = sum(-(-layer.params[name].size // align) * align for _, layer, name in entries)
        self.flat_params = _aligned_zeros(total, self.dtype)  # the gaps stay 0: every update rule keeps them so
        self.flat_grads = _aligned_zeros(total, self.dtype)
        self.layout: list[PackedSlot] = []
        offset = 0
        for path, layer, name in entries:
            value = layer.params[name]
            slot = PackedSlot(path, offset, value.shape, value.ndim > 1 and not value.flags.c_contiguous)
            slot.view(self.flat_params)[...] = value
            layer.params[name] = slot.view(self.flat_params)
            layer.grads[name] = slot.view(self.flat_grads)
            self.layout.append(slot)
            offset += -(-value.size // align) * align

    def summary(self) -> list[LayerSummary]:
        return fold_shapes(self.layers, self.input_shape)

    def named_params(self) -> Iterator[tuple[str, np.ndarray]]:
        for index, layer in enumerate(self.layers):
            for name, value in layer.params.items():
                yield f"layers.{index}.{name}", value

    def named_grads(self) -> Iterator[tuple[str, np.ndarray]]:
        for index, layer in enumerate(self.layers):
            for name, value in layer.grads.items():
                yield f"layers.{index}.{name}", value

    @property
    def params(self) -> dict[str, np.ndarray]:
        """Live parameter arrays by path; optimizers update them in place."""
        return self._params

    @property
    def grads(self) -> dict[str, np.ndarray]:
        """Live gradient arrays by path, filled by ``backward``."""
        return self._grads

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        if len(self.input_shape) > 1 and x.ndim == 2:
            x = x.reshape((len(x),) + self.input_shape)
        for layer in self.layers:
            x = layer.forward(x, training)
        return x

    def backward(self, grad: np.ndarray) -> None:
        for layer in reversed(self.layers):
            grad = layer.backward(grad)
            if grad is None:
                break

    def eval_slice(self) -> int:
        """How many samples one evaluation forward pass takes at once: at most EVAL_NUMBERS numbers
        in any layer's patch matrix or output (4,096 filters of a 28x28 image are 3.2 million a sample)."""
        widest = math.prod(self.input_shape)
        shape = self.input_shape
        for layer in self.layers:
            if isinstance(layer, Conv2D):
                widest = max(widest, layer.patch_numbers(shape))
            shape = layer.output_shape(shape)
            widest = max(widest, math.prod(shape))
        return max(1, EVAL_NUMBERS // max(widest, 1))

    def logits(self, x: np.ndarray) -> np.ndarray:
        """Evaluation-mode ``z`` for any number of samples, in slices that bound the memory."""
        step = self.eval_slice()
        if len(x) <= step:
            return self.forward(x, training=False)
        return np.concatenate([self.forward(x[i:i + step], training=False) for i in range(0, len(x), step)])

    def loss_and_grads(self, x: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
        """One training forward/backward pass; returns the batch loss and the logits ``z``."""
        z = self.forward(x, training=True)
        value, grad = self.loss.value_and_grad(z, labels)
        self.backward(grad)
        return value, z

    def predict_proba(self, x: np.ndarray, batch_size: int = 2000) -> np.ndarray:
        chunks = [self.loss.output(self.logits(x[i:i + batch_size].astype(self.dtype, copy=False)))
                  for i in range(0, len(x), batch_size)]
        return np.concatenate(chunks) if chunks else np.zeros((0, self.output_units), self.dtype)

    def state_dict(self) -> dict[str, np.ndarray]:
        """Copies of every parameter and buffer, by path."""
        state = {path: value.copy() for path, value in self.named_params()}
        for index, layer in enumerate(self.layers):
            for name, value in layer.buffers.items():
                state[f"layers.{index}.{name}"] = value.copy()
        return state

    def load_state_dict(self, state: dict[str, np.ndarray]) -> None:
        """Copy values in place; every path and shape must match exactly."""
        targets = dict(self.named_params())
        for index, layer in enumerate(self.layers):
            for name, value in layer.buffers.items():
                targets[f"layers.{index}.{name}"] = value
        missing = sorted(set(targets) - set(state))
        unexpected = sorted(set(state) - set(targets))
        if missing or unexpected:
            raise ValueError(f"state does not fit the network: missing {missing}, unexpected {unexpected}")
        for path, target in targets.items():
            value = np.asarray(state[path])
            if value.shape != target.shape:
                raise ValueError(f"{path}: shape {value.shape} does not match {target.shape}")
            target[...] = value

    def weight_paths(self) -> list[str]:
        """Paths of the dense and conv weights: what L1/L2 regularization applies to (not biases)."""
        return [f"layers.{i}.W" for i, layer in enumerate(self.layers) if isinstance(layer, (Dense, Conv2D))]

    def describe(self) -> str:
        """A compact architecture string such as ``784-100r-30r-10s`` or ``1x28x28-c20x5-p2-100s-10s``."""
        parts = [str(self.input_units) if not any(isinstance(l, Conv2D) for l in self.layers)
                 else "x".join(str(s) for s in (self.input_shape[-1],) + self.input_shape[:-1])]
        for index, layer in enumerate(self.layers):
            following = self.layers[index + 1] if index + 1 < len(self.layers) else None
            if isinstance(layer, Dense):
                kind = following.name if isinstance(following, ActivationLayer) else self.loss.output_activation
                parts.append(f"{layer.units}{kind[0]}")
            elif isinstance(layer, Conv2D):
                parts.append(f"c{layer.filters}x{layer.kernel}" + (f"-p{layer.pool}" if layer.pool > 1 else ""))
            elif layer.kind in ("maxpool2d", "avgpool2d"):
                parts.append(f"{'p' if layer.kind == 'maxpool2d' else 'a'}{layer.size}")
        return "-".join(parts)

    def __repr__(self) -> str:
        inner = ", ".join(repr(layer) for layer in self.layers)
        return f"Sequential([{inner}], loss={self.loss!r})"
