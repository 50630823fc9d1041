"""Atomic file output: every file govsim writes from Python goes through :func:`atomic_open`.

The content is written to a temporary file in the destination folder, flushed, ``fsync``-ed,
checked (size on disk = bytes written) and renamed over the destination. A failure at any step
(full disk, permission, a folder given as the file name) removes the temporary file, leaves the
previous file untouched and raises :class:`OutputError` naming the path and the cause.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from typing import Iterator, Union

__all__ = ["OutputError", "atomic_open", "atomic_write", "save_figure"]


class OutputError(OSError):
    """An output file could not be written; the previous file (if any) is intact."""


@contextlib.contextmanager
def atomic_open(path: Union[str, os.PathLike], mode: str = "w", encoding: str = "utf-8") -> Iterator:
    """Open a temporary file beside ``path`` for writing (``mode`` "w" or "wb"); on a clean
    exit of the ``with`` block it replaces ``path`` atomically."""
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_open: mode must be 'w' or 'wb', got {mode!r}")
    path = os.fspath(path)
    if os.path.isdir(path):
        raise OutputError(f"cannot write '{path}': it is a folder (give a file name)")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise OutputError(f"cannot write '{path}': folder '{folder}' does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    except OSError as e:
        raise OutputError(f"cannot write '{path}': {e.strerror or e}") from None
    try:
        with os.fdopen(fd, mode, **({"encoding": encoding} if mode == "w" else {})) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
            written = f.tell()
        if os.path.getsize(tmp) != written:
            raise OutputError(f"cannot write '{path}': {os.path.getsize(tmp)} bytes on disk, {written} written")
        try:  # keep the permissions of the file being replaced (mkstemp creates 0600)
            os.chmod(tmp, os.stat(path).st_mode & 0o7777 if os.path.exists(path) else 0o666 & ~_umask())
        except OSError:
            pass
        os.replace(tmp, path)
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError) and not isinstance(e, OutputError):
            raise OutputError(f"cannot write '{path}': {e.strerror or e}") from None
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: Union[str, os.PathLike], data: Union[str, bytes]) -> str:
    """Write ``data`` (text or bytes) to ``path`` atomically; returns the path."""
    with atomic_open(path, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)
    return os.fspath(path)


def save_figure(fig, path: Union[str, os.PathLike], **kw) -> str:
    """``fig.savefig`` through :func:`atomic_open`; the format comes from the extension
    (PNG when there is none)."""
    path = os.fspath(path)
    fmt = kw.pop("format", None) or (os.path.splitext(path)[1][1:].lower() or "png")
    with atomic_open(path, "wb") as f:
        fig.savefig(f, format=fmt, **kw)
    return path
