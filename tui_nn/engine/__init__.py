"""The pure NumPy engine: layers, losses, optimizers and the training loop. No UI imports."""
