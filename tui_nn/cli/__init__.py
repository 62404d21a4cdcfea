"""The headless client: `tui-nn` and its commands."""
