"""Base of the Python results that wrap one compiled result (``self.core``)."""
from __future__ import annotations


class CoreResult:
    """``ok()``, ``status`` and ``message`` of the compiled result held in ``self.core``.

    Subclasses set ``self.core`` in their constructor and add labelled accessors; the status is the
    one :class:`govsim.Status` enum of the compiled layer."""

    core = None

    def ok(self) -> bool:
        """True when the computation succeeded (``status == Status.Success``)."""
        return bool(self.core.ok())

    @property
    def status(self):
        """The compiled result's :class:`govsim.Status`."""
        return self.core.status

    @property
    def message(self) -> str:
        """What went wrong ('' on success)."""
        return self.core.message
