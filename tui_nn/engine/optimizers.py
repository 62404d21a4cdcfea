"""Optimizers: the published update rules, state keyed by full parameter path.

Every optimizer updates parameters in place with ``step(params, grads)``; both are dicts keyed by
path (``"layers.0.W"``). State is ``{path: {slot: array}}`` plus the step count ``t``.
``get_config()``/``optimizer_from_config()`` round-trip through ``REGISTRY``; ``state_dict()`` /
``load_state_dict()`` check names and shapes. ``learning_rate`` may be changed between steps by a
schedule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np


@dataclass(frozen=True)
class Hyper:
    """One hyper-parameter: default and the open/closed range it must lie in."""

    name: str
    default: float | bool
    low: float | None = None
    high: float | None = None
    low_inclusive: bool = False
    high_inclusive: bool = True
    help: str = ""

    def allowed(self) -> str:
        if isinstance(self.default, bool):
            return "true or false"
        low = "-inf" if self.low is None else f"{self.low:g}"
        high = "inf" if self.high is None else f"{self.high:g}"
        close = "]" if self.high_inclusive and self.high is not None else ")"
        return f"a number in {'[' if self.low_inclusive else '('}{low}, {high}{close}"

    def accepts(self, value: Any) -> bool:
        if isinstance(self.default, bool):
            return isinstance(value, bool)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value):
            return False
        if self.low is not None and (value < self.low or (value == self.low and not self.low_inclusive)):
            return False
        if self.high is not None and (value > self.high or (value == self.high and not self.high_inclusive)):
            return False
        return True


LR = Hyper("learning_rate", 0.01, 0.0, None, help="step size eta")
EPS = Hyper("epsilon", 1e-8, 0.0, 1.0, help="added to denominators")


#: The state key of the packed buffers (see Optimizer.step_packed).
PACKED = "*"


class Optimizer:
    name: ClassVar[str] = ""
    HYPERS: ClassVar[tuple[Hyper, ...]] = (LR,)

    def __init__(self, **config: Any):
        known = {h.name: h for h in self.HYPERS}
        unknown = sorted(set(config) - set(known))
        if unknown:
            raise ValueError(f"{self.name} has no hyper-parameter {unknown[0]!r}; allowed: {', '.join(known)}")
        for hyper in self.HYPERS:
            value = config.get(hyper.name, hyper.default)
            if not hyper.accepts(value):
                raise ValueError(f"{self.name}.{hyper.name} = {value!r}: must be {hyper.allowed()}")
            setattr(self, hyper.name, value if isinstance(hyper.default, bool) else float(value))
        self.t = 0
        self.state: dict[str, dict[str, np.ndarray]] = {}

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, **{h.name: getattr(self, h.name) for h in self.HYPERS}}

    def _slots(self, path: str, like: np.ndarray, names: tuple[str, ...]) -> dict[str, np.ndarray]:
        slots = self.state.get(path)
        if slots is None:
            slots = self.state[path] = {name: np.zeros_like(like) for name in names}
        return slots

    def step(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
        self.t += 1
        for path, param in params.items():
            self.update(path, param, grads[path])

    def step_packed(self, params: np.ndarray, grads: np.ndarray, layout: list) -> None:
        """One step on the network's packed buffers (Sequential._pack). Every rule here is
        element-wise, so updating the whole buffer at once is the same arithmetic, number by
        number, as updating each array. Slots are kept packed too; ``state_dict`` still speaks
        per path (``layout`` says where each path lies)."""
        self._layout = layout
        if PACKED not in self.state and self.state:
            self._pack_slots(params)
        self.t += 1
        self.update(PACKED, params, grads)

    def _pack_slots(self, like: np.ndarray) -> None:
        """Per-path slots (from ``load_state_dict``) copied into packed ones."""
        names = {name for slots in self.state.values() for name in slots}
        packed = {name: np.zeros_like(like) for name in names}
        for slot in self._layout:
            for name, value in self.state.get(slot.path, {}).items():
                slot.view(packed[name])[...] = value
        self.state = {PACKED: packed}

    def _per_path_slots(self) -> dict[str, dict[str, np.ndarray]]:
        if PACKED not in self.state:
            return self.state
        packed = self.state[PACKED]
        return {slot.path: {name: slot.view(value) for name, value in packed.items()} for slot in self._layout}

    def update(self, path: str, p: np.ndarray, g: np.ndarray) -> None:
        raise NotImplementedError

    def _scratch(self, path: str, name: str, like: np.ndarray) -> np.ndarray:
        """A work buffer shaped like ``like``, kept between steps (not state: never saved)."""
        buffers = self.__dict__.setdefault("_buffers", {})
        buffer = buffers.get((path, name))
        if buffer is None or buffer.shape != like.shape or buffer.dtype != like.dtype:
            buffer = buffers[(path, name)] = np.empty_like(like)
        return buffer

    def state_dict(self) -> dict[str, Any]:
        return {"t": self.t, "slots": {path: {k: v.copy() for k, v in slots.items()}
                                       for path, slots in self._per_path_slots().items()}}

    def load_state_dict(self, state: dict[str, Any], params: dict[str, np.ndarray] | None = None) -> None:
        """Restore ``t`` and slots; with ``params``, every slot's path and shape must match them."""
        slots = state["slots"]
        if params is not None:
            for path, arrays in slots.items():
                if path not in params:
                    raise ValueError(f"optimizer state names unknown parameter {path!r}")
                for slot, value in arrays.items():
                    if value.shape != params[path].shape:
                        raise ValueError(f"optimizer slot {path}/{slot}: shape {value.shape} != {params[path].shape}")
        self.t = int(state["t"])
        self.state = {path: {k: np.array(v) for k, v in arrays.items()} for path, arrays in slots.items()}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items() if k != "name")
        return f"{type(self).__name__}({args})"


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum and Nesterov momentum ("lr inside", as
    Keras writes it, so a schedule's new rate applies to new gradients only):

        plain:     p <- p - lr g
        momentum:  v <- mu v - lr g;  p <- p + v
        nesterov:  v <- mu v - lr g;  p <- p + mu v - lr g   (Sutskever et al. 2013, Keras form)

    With a constant rate this equals torch's "lr outside" form v <- mu v + g; p <- p - lr v.
    """

    name = "sgd"
    HYPERS = (LR, Hyper("momentum", 0.0, 0.0, 1.0, True, False, "mu"),
              Hyper("nesterov", False, help="use Nesterov momentum"))

    def update(self, path: str, p: np.ndarray, g: np.ndarray) -> None:
        step = self._scratch(path, "step", g)
        np.multiply(g, self.learning_rate, out=step)  # lr g, into a buffer kept from the last step
        if self.momentum == 0.0:
            p -= step
            return
        v = self._slots(path, p, ("velocity",))["velocity"]
        v *= self.momentum
        v -= step
        if self.nesterov:
            ahead = self._scratch(path, "ahead", g)
            np.multiply(v, self.momentum, out=ahead)
            ahead -= step
            p += ahead
        else:
            p += v


class Momentum(SGD):
    """SGD with classical momentum (mu = 0.9 unless given)."""

    name = "momentum"
    HYPERS = (LR, Hyper("momentum", 0.9, 0.0, 1.0, True, False, "mu"), Hyper("nesterov", False))


class Nesterov(SGD):
    """SGD with Nesterov momentum (mu = 0.9 unless given)."""

    name = "nesterov"
    HYPERS = (LR, Hyper("momentum", 0.9, 0.0, 1.0, True, False, "mu"), Hyper("nesterov", True))


class Adagrad(Optimizer):
    """Duchi et al. 2011:  G <- G + g^2;  p <- p - lr g / (sqrt(G) + eps)."""

    name = "adagrad"
    HYPERS = (LR, EPS)

    def update(self, path: str, p: np.ndarray, g: np.ndarray) -> None:
        acc = self._slots(path, p, ("sum_sq",))["sum_sq"]
        acc += g * g
        p -= self.learning_rate * g / (np.sqrt(acc) + self.epsilon)


class Adadelta(Optimizer):
    """Zeiler 2012, Algorithm 1 (times ``learning_rate``, 1.0 in the paper):

        E[g^2] <- rho E[g^2] + (1-rho) g^2
        dx = - sqrt(E[dx^2] + eps) / sqrt(E[g^2] + eps) * g
        E[dx^2] <- rho E[dx^2] + (1-rho) dx^2
        p <- p + lr dx
    """

    name = "adadelta"
    HYPERS = (Hyper("learning_rate", 1.0, 0.0, None), Hyper("rho", 0.95, 0.0, 1.0, False, False),
              Hyper("epsilon", 1e-6, 0.0, 1.0))

    def update(self, path: str, p: np.ndarray, g: np.ndarray) -> None:
        slots = self._slots(path, p, ("avg_sq_grad", "avg_sq_delta"))
        eg2, edx2 = slots["avg_sq_grad"], slots["avg_sq_delta"]
        eg2 *= self.rho
        eg2 += (1 - self.rho) * g * g
        delta = -np.sqrt(edx2 + self.epsilon) / np.sqrt(eg2 + self.epsilon) * g
        edx2 *= self.rho
        edx2 += (1 - self.rho) * delta * delta
        p += self.learning_rate * delta


class RMSProp(Optimizer):
    """Tieleman & Hinton 2012:  E[g^2] <- rho E[g^2] + (1-rho) g^2;  p <- p - lr g / (sqrt(E[g^2]) + eps)."""

    name = "rmsprop"
    HYPERS = (Hyper("learning_rate", 0.001, 0.0, None), Hyper("rho", 0.9, 0.0, 1.0, False, False), EPS)

    def update(self, path: str, p: np.ndarray, g: np.ndarray) -> None:
        avg = self._slots(path, p, ("avg_sq_grad",))["avg_sq_grad"]
        avg *= self.rho
        avg += (1 - self.rho) * g * g
        p -= self.learning_rate * g / (np.sqrt(avg) + self.epsilon)


BETA1 = Hyper("beta_1", 0.9, 0.0, 1.0, True, False)
BETA2 = Hyper("beta_2", 0.999, 0.0, 1.0, True, False)


class Adam(Optimizer):
    """Kingma & Ba 2015, Algorithm 1; with ``amsgrad``, Reddi et al. 2018 (bias-corrected as torch does):

        m <- b1 m + (1-b1) g;   v <- b2 v + (1-b2) g^2
        m_hat = m / (1 - b1^t); v_hat = v / (1 - b2^t)    (amsgrad: v_max <- max(v_max, v), v_hat = v_max / (1 - b2^t))
        p <- p - lr m_hat / (sqrt(v_hat) + eps)
    """

    name = "adam"
    HYPERS = (Hyper("learning_rate", 0.001, 0.0, None), BETA1, BETA2, EPS, Hyper("amsgrad", False))

    def update(self, path: str, p: np.ndarray, g: np.ndarray) -> None:
        names = ("m", "v", "v_max") if self.amsgrad else ("m", "v")
        slots = self._slots(path, p, names)
        m, v = slots["m"], slots["v"]
        m *= self.beta_1
        m += (1 - self.beta_1) * g
        v *= self.beta_2
        v += (1 - self.beta_2) * g * g
        if self.amsgrad:
            np.maximum(slots["v_max"], v, out=slots["v_max"])
            v = slots["v_max"]
        m_hat_scale = 1.0 / (1 - self.beta_1 ** self.t)
        v_hat = v / (1 - self.beta_2 ** self.t)
        p -= (self.learning_rate * m_hat_scale) * m / (np.sqrt(v_hat) + self.epsilon)


class AMSGrad(Adam):
    """Adam with ``amsgrad`` on."""

    name = "amsgrad"
    HYPERS = (Hyper("learning_rate", 0.001, 0.0, None), BETA1, BETA2, EPS, Hyper("amsgrad", True))


class AdaMax(Optimizer):
    """Kingma & Ba 2015, Algorithm 2:

        m <- b1 m + (1-b1) g;   u <- max(b2 u, |g|);   p <- p - lr / (1 - b1^t) * m / (u + eps)
    (eps only guards a parameter whose gradient has always been zero).
    """

    name = "adamax"
    HYPERS = (Hyper("learning_rate", 0.002, 0.0, None), BETA1, BETA2, EPS)

    def update(self, path: str, p: np.ndarray, g: np.ndarray) -> None:
        slots = self._slots(path, p, ("m", "u"))
        m, u = slots["m"], slots["u"]
        m *= self.beta_1
        m += (1 - self.beta_1) * g
        np.maximum(self.beta_2 * u, np.abs(g), out=u)
        p -= (self.learning_rate / (1 - self.beta_1 ** self.t)) * m / (u + self.epsilon)


class Nadam(Optimizer):
    """Dozat 2016 ("Incorporating Nesterov momentum into Adam"), with a constant b1:

        m <- b1 m + (1-b1) g;   v <- b2 v + (1-b2) g^2
        m_bar = b1 m / (1 - b1^(t+1)) + (1-b1) g / (1 - b1^t)
        p <- p - lr m_bar / (sqrt(v / (1 - b2^t)) + eps)
    """

    name = "nadam"
    HYPERS = (Hyper("learning_rate", 0.002, 0.0, None), BETA1, BETA2, EPS)

    def update(self, path: str, p: np.ndarray, g: np.ndarray) -> None:
        slots = self._slots(path, p, ("m", "v"))
        m, v = slots["m"], slots["v"]
        b1, b2, t = self.beta_1, self.beta_2, self.t
        m *= b1
        m += (1 - b1) * g
        v *= b2
        v += (1 - b2) * g * g
        m_bar = (b1 / (1 - b1 ** (t + 1))) * m + ((1 - b1) / (1 - b1 ** t)) * g
        p -= self.learning_rate * m_bar / (np.sqrt(v / (1 - b2 ** t)) + self.epsilon)


REGISTRY: dict[str, type[Optimizer]] = {
    cls.name: cls
    for cls in (SGD, Momentum, Nesterov, Adagrad, Adadelta, RMSProp, Adam, AMSGrad, AdaMax, Nadam)
}


def optimizer_from_config(config: dict[str, Any]) -> Optimizer:
    config = dict(config)
    name = config.pop("name", None)
    if name not in REGISTRY:
        raise ValueError(f"unknown optimizer {name!r}; allowed: {', '.join(REGISTRY)}")
    return REGISTRY[name](**config)
