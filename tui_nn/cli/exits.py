"""Exit codes: one table for every command, and the error that means ``INVALID``.

Scripts read these, so a code keeps its meaning across commands; the shell's convention gives the
signal codes (128 + the signal's number).
"""

from __future__ import annotations

OK = 0
DIFFERENT = 1  # replay: an epoch differs from its record (as diff says 1)
INVALID = 2  # input refused with one line on stderr; also a sweep some of whose points failed
DIVERGED = 3  # the loss became NaN, infinite or a thousand times its start
WRITE_FAILED = 4  # a file checked writable failed once the work began (a full disk); what finished is kept
APP_FAILED = 5  # the app could not start, or stopped on an error of its own
INTERRUPTED = 130  # 128 + SIGINT: Ctrl-C
OUTPUT_CLOSED = 141  # 128 + SIGPIPE: the reader of the output went away (| head), or writing it failed
TERMINATED = 143  # 128 + SIGTERM


class InvalidInput(Exception):
    """Input we refuse with one line on stderr and exit code ``INVALID``."""


def unreadable(error: OSError) -> InvalidInput:
    """An input file the command could not read, as one line naming it (a traceback otherwise)."""
    where = f"{error.filename}: " if error.filename else ""
    return InvalidInput(f"{where}cannot be read ({error.strerror or error})")
