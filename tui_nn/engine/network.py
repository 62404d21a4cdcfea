"""A sequential network: the layers, their named parameters, and the fused output loss."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .layers import ActivationLayer, Dense, Layer
from .losses import Loss


class Sequential:
    """Layers applied in order; the last layer's output is the pre-activation ``z`` that ``loss``
    turns into outputs (the output activation lives in the loss, where it is computed stably).

    Parameters are addressed by full path, ``"layers.<index>.<name>"`` (as in torch ``state_dict``).
    """

    def __init__(self, layers: list[Layer], loss: Loss, input_units: int):
        self.layers = layers
        self.loss = loss
        self.input_units = input_units
        self.dtype = np.dtype(np.float32)

    def build(self, rng: np.random.Generator, dtype: np.dtype | str = np.float32) -> "Sequential":
        self.dtype = np.dtype(dtype)
        units = self.input_units
        for layer in self.layers:
            units = layer.build(units, rng, self.dtype)
        self.output_units = units
        first_trainable = next((i for i, layer in enumerate(self.layers) if layer.params), None)
        for index, layer in enumerate(self.layers):
            # Nothing before the first parameterized layer needs a gradient: skip x^T products there.
            layer.need_input_grad = first_trainable is not None and index > first_trainable
        self._params = {path: array for path, array in self.named_params()}
        self._grads = {f"layers.{i}.{name}": layer.grads[name]
                       for i, layer in enumerate(self.layers) for name in layer.params}
        return self

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
        for layer in self.layers:
            x = layer.forward(x, training)
        return x

    def backward(self, grad: np.ndarray) -> None:
        for layer in reversed(self.layers):
            grad = layer.backward(grad)
            if grad is None:
                break

    def loss_and_grads(self, x: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
        """One training forward/backward pass; returns the batch loss and the logits ``z``."""
        z = self.forward(x, training=True)
        value, grad = self.loss.value_and_grad(z, labels)
        self.backward(grad)
        return value, z

    def predict_proba(self, x: np.ndarray, batch_size: int = 2000) -> np.ndarray:
        chunks = [self.loss.output(self.forward(x[i:i + batch_size].astype(self.dtype, copy=False)))
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
        """Paths of the dense weight matrices: what L1/L2 regularization applies to (not biases)."""
        return [f"layers.{i}.W" for i, layer in enumerate(self.layers) if isinstance(layer, Dense)]

    def describe(self) -> str:
        """A compact architecture string such as ``784-100r-30r-10s``."""
        parts = [str(self.input_units)]
        for index, layer in enumerate(self.layers):
            if isinstance(layer, Dense):
                following = self.layers[index + 1] if index + 1 < len(self.layers) else None
                kind = following.name if isinstance(following, ActivationLayer) else self.loss.output_activation
                parts.append(f"{layer.units}{kind[0]}")
        return "-".join(parts)

    def __repr__(self) -> str:
        inner = ", ".join(repr(layer) for layer in self.layers)
        return f"Sequential([{inner}], loss={self.loss!r})"
