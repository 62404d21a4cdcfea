"""tui_nn: neural networks from scratch in NumPy, driven from the terminal."""

__version__ = "0.1.0"
