"""The runs folder and sweeps: listing, comparing and exporting records; running a sweep and its results."""
