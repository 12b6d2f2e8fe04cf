"""The `playground` command line: one module per command group (see ``main.build_parser``)."""

from __future__ import annotations

from .main import main

__all__ = ["main"]
