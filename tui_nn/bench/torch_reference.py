"""The benchmark's PyTorch reference: the same network, initial weights, optimizer and batches.

Imported only when torch is asked for; data is preloaded as tensors so only training is timed.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from ..engine.layers import ActivationLayer, AvgPool2D, BatchNorm, Conv2D, Dense, Dropout, Flatten, MaxPool2D
from ..experiment.session import Session


def torch_available() -> bool:
    try:
        import torch  # noqa: F401
    except Exception:
        return False
    return True


def _dense_weight(layer: Dense) -> np.ndarray:
    """torch's (out, in) weight; an image input is flattened channels-first there, so the rows of
    W (ours flatten row, column, channel) are reordered to match."""
    weights = layer.params["W"]
    if len(layer.input_shape) == 3:
        height, width, channels = layer.input_shape
        weights = weights.reshape(height, width, channels, -1).transpose(2, 0, 1, 3).reshape(-1, layer.units)
    return np.ascontiguousarray(weights.T)


def _torch_model(session: Session):
    """The same layers and initial weights in torch's channels-first layout."""
    import torch
    from torch import nn

    modules = []
    activations = {"sigmoid": nn.Sigmoid, "relu": nn.ReLU, "tanh": nn.Tanh,
                   "leaky_relu": lambda: nn.LeakyReLU(0.01), "linear": nn.Identity}
    flat = False
    for layer in session.network.layers:
        if isinstance(layer, Dense):
            linear = nn.Linear(*layer.params["W"].shape)
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(_dense_weight(layer)))
                linear.bias.copy_(torch.from_numpy(layer.params["b"].copy()))
            if not flat:
                modules.append(nn.Flatten())
                flat = True
            modules.append(linear)
        elif isinstance(layer, Conv2D):
            padding = "same" if layer.padding == "same" and layer.stride == 1 else 0
            conv = nn.Conv2d(layer.input_shape[2], layer.filters, layer.kernel, layer.stride, padding)
            with torch.no_grad():
                conv.weight.copy_(torch.from_numpy(np.ascontiguousarray(layer.params["W"].transpose(3, 2, 0, 1))))
                conv.bias.copy_(torch.from_numpy(layer.params["b"].copy()))
            modules.append(conv)
            if layer.pool > 1:  # ours pools inside the conv layer (the same function)
                modules.append(nn.MaxPool2d(layer.pool))
        elif isinstance(layer, MaxPool2D):
            modules.append(nn.MaxPool2d(layer.size, layer.stride))
        elif isinstance(layer, AvgPool2D):
            modules.append(nn.AvgPool2d(layer.size, layer.stride))
        elif isinstance(layer, Flatten):
            modules.append(nn.Flatten())
            flat = True
        elif isinstance(layer, ActivationLayer):
            modules.append(activations[layer.name]())
        elif isinstance(layer, Dropout):
            modules.append(nn.Dropout(layer.rate))
        elif isinstance(layer, BatchNorm):
            norm = nn.BatchNorm1d if len(layer.input_shape) == 1 else nn.BatchNorm2d
            modules.append(norm(len(layer.params["gamma"]), momentum=1 - layer.momentum))
    return nn.Sequential(*modules)


def torch_inputs(session: Session, images: np.ndarray):
    """The training images as a float tensor in the network's input shape, channels-first."""
    import torch

    x = session.feed.to_float(images)
    shape = session.network.input_shape
    if len(shape) == 3:
        x = x.reshape((len(x),) + shape).transpose(0, 3, 1, 2)
    return torch.from_numpy(np.ascontiguousarray(x))


def _torch_loss(session: Session):
    import torch.nn.functional as F

    name = session.network.loss.name
    if name == "log_likelihood":
        return lambda z, y, onehot: F.cross_entropy(z, y)
    if name == "cross_entropy":
        return lambda z, y, onehot: F.binary_cross_entropy_with_logits(z, onehot, reduction="sum") / len(y)
    return lambda z, y, onehot: 0.5 * ((z.sigmoid() - onehot) ** 2).sum() / len(y)


def _parameter_groups(session: Session, model) -> list[dict]:
    """L2 as the engine applies it: weight decay on dense and conv weights, none on biases or
    batch-norm parameters (with plain SGD, decay l2 w is the engine's gradient term l2 w)."""
    l2 = session.settings.regularization.l2
    weights = [p for name, p in model.named_parameters() if name.endswith("weight") and p.dim() > 1]
    others = [p for name, p in model.named_parameters() if not (name.endswith("weight") and p.dim() > 1)]
    return [{"params": weights, "weight_decay": l2}, {"params": others, "weight_decay": 0.0}]


def _torch_optimizer(session: Session, params):
    import torch

    c = session.optimizer.get_config()
    name, lr = c["name"], c["learning_rate"]
    if name in ("sgd", "momentum", "nesterov"):
        return torch.optim.SGD(params, lr=lr, momentum=c["momentum"], nesterov=c["nesterov"])
    if name in ("adam", "amsgrad"):
        return torch.optim.Adam(params, lr=lr, betas=(c["beta_1"], c["beta_2"]), eps=c["epsilon"],
                                amsgrad=c["amsgrad"])
    if name == "adagrad":
        return torch.optim.Adagrad(params, lr=lr, eps=c["epsilon"])
    if name == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, alpha=c["rho"], eps=c["epsilon"])
    if name == "adadelta":
        return torch.optim.Adadelta(params, lr=lr, rho=c["rho"], eps=c["epsilon"])
    if name == "adamax":
        return torch.optim.Adamax(params, lr=lr, betas=(c["beta_1"], c["beta_2"]), eps=c["epsilon"])
    return torch.optim.NAdam(params, lr=lr, betas=(c["beta_1"], c["beta_2"]), eps=c["epsilon"])


class TorchTrainer:
    """The same network, initial weights, optimizer and batch size in PyTorch, the training images
    preloaded as one tensor; ``epoch()`` trains one pass in a fresh random order and returns its
    seconds. Used by the interleaved comparison (bench_compare.py), one trainer per thread count."""

    def __init__(self, session: Session, threads: int):
        import torch

        self.torch, self.threads = torch, threads
        torch.manual_seed(session.spec.seed)
        self.model = _torch_model(session)
        self.optimizer = _torch_optimizer(session, _parameter_groups(session, self.model))
        self.loss_fn = _torch_loss(session)
        images, labels = session.feed.splits.train.rows(slice(None))
        self.x = torch_inputs(session, images)
        self.y = torch.from_numpy(labels.astype(np.int64))
        self.onehot = torch.nn.functional.one_hot(self.y, session.network.output_units).float()
        self.batch = session.spec.training.batch_size
        self.model.train()

    def epoch(self) -> float:
        torch = self.torch
        torch.set_num_threads(self.threads)
        started = time.perf_counter()
        order = torch.randperm(len(self.y))
        for start in range(0, len(self.y), self.batch):
            index = order[start:start + self.batch]
            self.optimizer.zero_grad(set_to_none=True)
            loss = self.loss_fn(self.model(self.x[index]), self.y[index], self.onehot[index])
            loss.backward()
            self.optimizer.step()
        return time.perf_counter() - started


def torch_info(session: Session) -> dict[str, Any]:
    """The torch version, and what of the engine's run torch does not reproduce (it is left out,
    so the torch side does a little less work, rather than timing something else)."""
    import torch

    reg = session.settings.regularization
    missing = [name for name, on in (("L1", reg.l1), ("gradient noise", reg.noise_eta)) if on]
    if session.spec.training.schedule.name != "constant":
        missing.append(f"the {session.spec.training.schedule.name} schedule (a constant rate instead; the same work)")
    return {"version": torch.__version__, "not_reproduced": missing}
