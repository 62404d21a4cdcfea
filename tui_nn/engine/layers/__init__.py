"""Layers: each owns ``params`` and ``grads`` (dicts of arrays) and works on whole mini-batches."""

from .activation import ActivationLayer
from .base import Layer
from .batchnorm import BatchNorm
from .conv import Conv2D
from .dense import Dense
from .dropout import Dropout
from .pool import AvgPool2D, MaxPool2D
from .reshape import Flatten

__all__ = ["ActivationLayer", "AvgPool2D", "BatchNorm", "Conv2D", "Dense", "Dropout", "Flatten", "Layer",
           "MaxPool2D"]
