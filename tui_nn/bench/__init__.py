"""Benchmarks and their references (PyTorch, plain and fused NumPy, network.py, the app): used by the CLI only."""
