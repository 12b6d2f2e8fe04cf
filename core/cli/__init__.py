"""The `playground` command line: one module per command group (see ``main.GROUPS``).

``start`` is the process entry (the `playground` script, ``python -m core.cli``); ``main(argv)`` runs one
command line in this process (tests, other Python code) and returns its exit code. Importing this package
is light (argparse): the engine loads when a command group registers, after ``start`` set the process up.
"""

from __future__ import annotations

from .main import main


def start() -> None:
    """The `playground` process: the cyclic garbage collector pauses while the command starts (imports and
    pydantic's schemas allocate many objects that live as long as the process and that no collection can
    free); ``core.cli.main.main`` freezes them out of its way and resumes it once the command line is parsed."""
    import gc
    import sys

    gc.disable()
    sys.exit(main(process=True))


__all__ = ["main", "start"]
