"""Experiments: the typed spec, presets, run records, replay and the benchmark."""
