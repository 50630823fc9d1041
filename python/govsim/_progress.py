"""Progress bars for long runs (MCMC, optimizers) driven by the C++ ``on_iteration`` callbacks.

``ProgressBar`` is a callable taking a ``govsim._core.IterationInfo`` (fields ``iteration``,
``total``, ``objective``, ``stage``) and returning True (keep going), so it can be passed as
``on_iteration`` directly. It uses ``tqdm.auto`` when tqdm is importable (a widget in Jupyter,
a text bar in a terminal) and writes a plain text bar otherwise (``\\r``-updated, on stderr by default). Call ``close()`` (or use it as a context
manager) to finish the line.

The C++ side may call it from several worker threads (MCMC chains); it serializes the calls
itself, and pybind11 holds the GIL while it runs, so the bar needs no locking of its own.
"""
from __future__ import annotations

import sys
import time
from typing import Optional, TextIO

__all__ = ["ProgressBar", "make_progress", "progress_callback"]


def _fmt_seconds(s: float) -> str:
    if s != s or s < 0 or s == float("inf"):
        return "?"
    s = int(round(s))
    if s < 60:
        return f"{s}s"
    m, s = divmod(s, 60)
    if m < 60:
        return f"{m}m{s:02d}s"
    h, m = divmod(m, 60)
    return f"{h}h{m:02d}m"


class ProgressBar:
    """Text (or tqdm) progress bar for ``on_iteration`` callbacks.

    Parameters
    ----------
    label : str
        Prefix of the bar (``"MCMC"``).
    unit : str
        Unit shown in the rate (``"draws"``).
    stream : file-like, optional
        Where the text bar goes (default ``sys.stderr``); ignored by tqdm.
    width : int
        Number of characters of the bar itself.
    min_interval : float
        Minimum seconds between two redraws of the text bar (the last update is always drawn).
    use_tqdm : bool or None
        None: use tqdm if it can be imported and ``stream`` is not given; False: always the text bar.
    """

    def __init__(self, label: str = "progress", unit: str = "it", stream: Optional[TextIO] = None,
                 width: int = 30, min_interval: float = 0.1, use_tqdm: Optional[bool] = None):
        self.label = label
        self.unit = unit
        self.stream = stream
        self.width = int(width)
        self.min_interval = float(min_interval)
        self.start = time.perf_counter()
        self.last_draw = -1.0
        self.iteration = 0
        self.total = 0
        self.updates = 0
        self._tqdm = None
        self._closed = False
        self._drawn = None
        if use_tqdm is None:
            use_tqdm = stream is None
        if use_tqdm:
            try:  # optional dependency: Debian's python3-tqdm
                from tqdm import auto as tqdm_auto  # type: ignore

                self._tqdm_mod = tqdm_auto
            except ImportError:
                self._tqdm_mod = None
        else:
            self._tqdm_mod = None

    # -- the on_iteration callback -------------------------------------------------------------
    def __call__(self, info) -> bool:
        self.update(int(info.iteration), int(getattr(info, "total", 0) or 0))
        return True

    def update(self, iteration: int, total: int = 0) -> None:
        """Record that `iteration` of `total` units are done and redraw if due."""
        self.iteration = int(iteration)
        if total:
            self.total = int(total)
        self.updates += 1
        if self._tqdm_mod is not None:
            if self._tqdm is None:
                self._tqdm = self._tqdm_mod.tqdm(total=self.total or None, desc=self.label, unit=self.unit)
            self._tqdm.update(self.iteration - self._tqdm.n)
            return
        now = time.perf_counter()
        if (self.iteration, self.total) == self._drawn:
            return
        if now - self.last_draw < self.min_interval and not (self.total and self.iteration >= self.total):
            return
        self.last_draw = now
        self._draw(now)

    def text(self, now: Optional[float] = None) -> str:
        """The current bar as a string (no carriage return)."""
        now = time.perf_counter() if now is None else now
        elapsed = max(now - self.start, 1e-9)
        rate = self.iteration / elapsed
        if self.total:
            frac = min(1.0, self.iteration / self.total)
            filled = int(frac * self.width)
            bar = "#" * filled + "-" * (self.width - filled)
            eta = (self.total - self.iteration) / rate if rate > 0 else float("nan")
            return (f"{self.label} |{bar}| {100 * frac:5.1f}% {self.iteration}/{self.total} {self.unit} "
                    f"[{_fmt_seconds(elapsed)}<{_fmt_seconds(eta)}, {rate:.1f} {self.unit}/s]")
        return f"{self.label}: {self.iteration} {self.unit} [{_fmt_seconds(elapsed)}, {rate:.1f} {self.unit}/s]"

    def _draw(self, now: float) -> None:
        self._drawn = (self.iteration, self.total)
        out = self.stream if self.stream is not None else sys.stderr
        out.write("\r" + self.text(now))
        out.flush()

    def close(self) -> None:
        """Draw the final state and end the line (idempotent)."""
        if self._closed:
            return
        self._closed = True
        if self._tqdm is not None:
            self._tqdm.close()
            return
        if self.updates:
            if (self.iteration, self.total) != self._drawn:
                self._draw(time.perf_counter())
            out = self.stream if self.stream is not None else sys.stderr
            out.write("\n")
            out.flush()

    def __enter__(self) -> "ProgressBar":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _CallbackProgress:
    """A user's ``progress(done, total)`` callable behind the ProgressBar interface; returning
    False from it stops computations that can stop (optimizers, MCMC)."""

    def __init__(self, fn):
        self.fn = fn
        self.stop = False

    def update(self, iteration: int, total: int = 0) -> None:
        self.stop = self.fn(int(iteration), int(total)) is False

    def __call__(self, info) -> bool:
        self.update(int(info.iteration), int(getattr(info, "total", 0) or 0))
        return not self.stop

    def close(self) -> None:
        pass


def make_progress(progress, label: str, unit: str):
    """Normalize a ``progress=`` argument, the same everywhere in govsim: False/None -> None;
    True -> a new ProgressBar (tqdm.auto when installed); a ProgressBar -> itself; a callable ->
    called as ``progress(done, total)`` (returning False stops where the computation can stop).
    The result has ``update(done, total)``, ``__call__(IterationInfo) -> bool`` and ``close()``."""
    if progress is None or progress is False:
        return None
    if progress is True:
        return ProgressBar(label=label, unit=unit)
    if isinstance(progress, (ProgressBar, _CallbackProgress)):
        return progress
    if callable(progress):
        return _CallbackProgress(progress)
    from . import _core

    raise _core.OptionsError(f"progress must be True/False, a ProgressBar or a callable progress(done, total), "
                             f"got {progress!r}")


def progress_callback(progress, on_iteration, label: str, unit: str):
    """(callback for the compiled ``on_iteration``, bar or None) from ``progress=`` and a user's
    ``on_iteration(IterationInfo)``: both are called; either returning False stops."""
    bar = make_progress(progress, label, unit)
    if bar is None:
        return on_iteration, None
    if on_iteration is None:
        return bar, bar

    def both(info):
        keep = bar(info)
        r = on_iteration(info)
        return not (r is False or (type(r).__name__ in ("bool_", "bool") and not r)) and keep

    return both, bar
