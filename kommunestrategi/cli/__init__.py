"""The command line: ``python -m kommunestrategi COMMAND ...``.

Each command lives in its own module with a ``register(subparsers)`` function
that adds its parser and sets ``func``. The names, options, exit codes and JSON
fields of these commands are a public interface (see the README).

Exit codes: 0 success, 1 invalid input (unknown municipality, invalid file,
unknown workspace), 2 unreadable input or usage error.
"""

from __future__ import annotations

import argparse
import importlib
import sys

#: Command modules, in the order they appear in ``--help``.
COMMAND_MODULES = (
    "kommunestrategi.cli.region",
    "kommunestrategi.cli.data",
    "kommunestrategi.cli.online",
    "kommunestrategi.cli.export",
    "kommunestrategi.cli.workspace",
    "kommunestrategi.cli.cooperation",
    "kommunestrategi.cli.scenarios",
)


class CommandError(Exception):
    """A failure to report as one line on stderr with an exit code (no traceback)."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m kommunestrategi",
        description="Decision support for inter-municipal cooperation strategies.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CommandError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the CLI never shows a traceback
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
