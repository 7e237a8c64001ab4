"""The command line: ``python -m kommunestrategi COMMAND ...``.

Each command lives in a module ``kommunestrategi.cli.<module>`` with a
``register(subparsers)`` function that adds the parsers of the commands it owns
and sets ``func``. ``COMMANDS`` names every command once, with its module and the
line shown by ``--help``; only the module of the command being run is imported
(``--help`` imports none), so a command never pays for another's dependencies.
Adding a command is one line in ``COMMANDS`` plus its module. The names, options,
exit codes and JSON fields of these commands are a public interface (see the README).

Exit codes: 0 success, 1 invalid input (unknown municipality, invalid file,
unknown workspace), 2 unreadable input or usage error.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import NamedTuple


class Command(NamedTuple):
    #: The module under ``kommunestrategi.cli`` whose ``register`` adds the parser.
    module: str
    #: The line in ``python -m kommunestrategi --help``.
    help: str


#: Every command, in ``--help`` order: name -> (module, help line).
COMMANDS: dict[str, Command] = {
    "region": Command("region", "figures for a set of municipalities"),
    "neighbours": Command("region", "neighbouring municipality numbers"),
    "validate": Command("data", "check a data file and print the report"),
    "import": Command("data", "import a valid data file as a new dataset version"),
    "fetch": Command("online", "fetch a table from SSB or Kolada (cached on disk)"),
    "export": Command("export", "strategy summaries as DOCX, PDF or XLSX files"),
    "workspace": Command("workspace", "list, export, import and lock workspaces"),
    "answers": Command("workspace", "every stored checklist answer of a workspace"),
    "scenarios": Command("scenarios", "the workshop board of a workspace: scores, ranking, flip points"),
    "propose": Command("scenarios", "contiguous regions that reach a population threshold"),
    "cooperation": Command("cooperation", "the cooperation register of a workspace, per municipality"),
    "servicepoints": Command("servicepoints", "a workspace's service points and their coverage"),
}


class CommandError(Exception):
    """A failure to report as one line on stderr with an exit code (no traceback)."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def build_parser(command: str | None = None, *, full: bool = False) -> argparse.ArgumentParser:
    """The argument parser; the real sub-parser only for ``command`` (all with ``full``).

    Every other command gets a placeholder carrying its help line, so ``--help`` and
    "invalid choice" messages list them all without importing their modules.
    """
    parser = argparse.ArgumentParser(
        prog="python -m kommunestrategi",
        description="Decision support for inter-municipal cooperation strategies.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    wanted = {spec.module for name, spec in COMMANDS.items() if full or name == command}
    for name, spec in COMMANDS.items():
        if name in subparsers.choices:
            continue
        if spec.module in wanted:
            importlib.import_module(f"kommunestrategi.cli.{spec.module}").register(subparsers)
        else:
            subparsers.add_parser(name, help=spec.help, add_help=False)
    return parser


def _command_in(argv: list[str]) -> str | None:
    """The command named in ``argv`` (the first word that is not an option)."""
    return next((word for word in argv if not word.startswith("-")), None)


#: Exit status after the reader of stdout went away (``| head``): 128 + SIGPIPE, as Unix tools.
EXIT_BROKEN_PIPE = 141


def _broken_pipe() -> int:
    """Stop quietly when stdout's reader has closed the pipe: no message, no traceback,
    and nothing left for Python to flush (and complain about) at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
    return EXIT_BROKEN_PIPE


def main(argv: list[str] | None = None) -> int:
    try:
        return _run(argv)
    except BrokenPipeError:  # also while argparse prints --help
        return _broken_pipe()


def _run(argv: list[str] | None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command_in(argv))
    args = parser.parse_args(argv)
    try:
        code = int(args.func(args) or 0)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        return _broken_pipe()
    except CommandError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the CLI never shows a traceback
        first_line = (str(exc).splitlines() or [""])[0][:300]
        print(f"error: {type(exc).__name__}: {first_line}", file=sys.stderr)
        return 2
