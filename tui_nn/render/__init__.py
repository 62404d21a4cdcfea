"""Drawing without a UI library: text art, glyphs, charts, the drawing canvas, metric formatters."""
