"""Command-line extensions, one module per feature.

Each module in this package may define any of:

- ``add_parser(subparsers)``: add top-level ``govsim`` subcommands;
- ``add_io_parser(io_subparsers)``: add ``govsim io ...`` subcommands.

They use the public helpers of :mod:`govsim.cli_support` (CliError, exit codes, ``--table`` and
``--json`` arguments, tables, JSON output). Commands of .mod files (``govsim run``) are not
plug-ins: they are handlers of the library's command interpreter (command_registry() in
src/dsge/run_commands.cpp). Modules are discovered at start-up, so features add themselves
without editing the CLI.
"""
import importlib
import pkgutil


def modules():
    """The extension modules, in name order."""
    out = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            out.append(importlib.import_module(f"{__name__}.{info.name}"))
    return out
