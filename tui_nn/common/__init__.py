"""Small utilities every layer uses (atomic writes, paths, checked reads); they import nothing else of the package."""
