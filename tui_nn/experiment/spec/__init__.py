"""The experiment spec: its schema, how it is parsed and checked, and dotted field paths."""
