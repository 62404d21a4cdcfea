"""``python -m tui_nn``: the same as the ``tui-nn`` command."""

import sys

from .cli.main import main

sys.exit(main())
