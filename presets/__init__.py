"""The built-in presets (TOML files), edited here and installed as the package ``tui_nn.presets``."""
