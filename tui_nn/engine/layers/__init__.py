"""Layers: each owns ``params`` and ``grads`` (dicts of arrays) and works on whole mini-batches."""

from .activation import ActivationLayer
from .base import Layer
from .batchnorm import BatchNorm
from .dense import Dense
from .dropout import Dropout

__all__ = ["ActivationLayer", "BatchNorm", "Dense", "Dropout", "Layer"]
