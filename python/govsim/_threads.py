"""BLAS threads when govsim runs in several threads at once.

OpenBLAS starts its own threads for each call. When a user runs solves from several Python
threads (a ThreadPoolExecutor, Dask's threaded scheduler), k threads x (cores) BLAS threads
oversubscribe the machine and can run slower than one thread. While any govsim computation runs
outside the main thread, BLAS is limited to one thread (with threadpoolctl, Debian package
python3-threadpoolctl); the previous limit comes back when the last one ends. Inside the C++
library, MCMC chains do the same for their own worker threads.
"""
from __future__ import annotations

import contextlib
import functools
import threading

try:
    from threadpoolctl import threadpool_limits as _threadpool_limits
except ImportError:  # pragma: no cover - optional dependency
    _threadpool_limits = None

__all__ = ["blas_single_thread", "limit_blas_in_threads"]

_lock = threading.Lock()
_depth = 0
_limiter = None


@contextlib.contextmanager
def blas_single_thread():
    """Run the block with BLAS single-threaded (process-wide, reference-counted across threads)."""
    global _depth, _limiter
    with _lock:
        if _depth == 0 and _threadpool_limits is not None:
            _limiter = _threadpool_limits(limits=1, user_api="blas")
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _limiter is not None:
                _limiter.restore_original_limits()
                _limiter = None


def limit_blas_in_threads(fn):
    """Decorator: when called outside the main thread, ``fn`` runs under :func:`blas_single_thread`."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if threading.current_thread() is threading.main_thread():
            return fn(*args, **kwargs)
        with blas_single_thread():
            return fn(*args, **kwargs)

    return wrapper
