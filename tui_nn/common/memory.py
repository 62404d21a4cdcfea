"""How much memory the system can give now, asked before a large allocation so that a request
that cannot fit is refused with its numbers instead of dying inside NumPy."""

from __future__ import annotations

import os


def available_bytes() -> int | None:
    """Bytes a program can take now: Linux's MemAvailable (which counts the page cache it would
    give up), else the free pages; None where the system does not say."""
    try:
        with open("/proc/meminfo", encoding="ascii") as file:
            for line in file:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None
