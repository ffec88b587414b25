"""The command line: `draftsmith serve` and friends."""

from draftsmith.cli.main import main

__all__ = ["main"]
