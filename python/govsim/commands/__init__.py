"""Command-line extensions, one module per feature.

Each module in this package may define any of:

- ``add_parser(subparsers)``: add top-level ``govsim`` subcommands;
- ``add_io_parser(io_subparsers)``: add ``govsim io ...`` subcommands;
- ``RUN_HANDLERS``: ``{command_name: handler}`` for commands of ``govsim run model.mod``. A
  handler is called as ``handler(ctx, cmd)`` with the :class:`govsim.cli.RunContext` and the
  parsed command; it records JSON output with ``ctx.add(key, obj)``;
- ``DECLARATIVE``: names of .mod commands that only declare data used by other commands
  (e.g. ``osr_params``), which ``govsim run`` then passes over silently.

Modules are discovered at start-up, so features add themselves without editing the CLI.
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


def run_handlers() -> dict:
    handlers = {}
    for m in modules():
        handlers.update(getattr(m, "RUN_HANDLERS", {}))
    return handlers


def declarative_commands() -> set:
    names = set()
    for m in modules():
        names.update(getattr(m, "DECLARATIVE", ()))
    return names
