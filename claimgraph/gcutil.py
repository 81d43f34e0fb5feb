"""Pausing Python's cyclic garbage collector around bulk work.

Building a page, a query's rows or a generated landscape allocates many small objects and
makes no cycles worth collecting; every full collection those allocations trigger walks every
object of the landscape too, which at 100k claims costs more than the work itself. Reference
counting still frees everything while the collector sleeps.

>>> import gc
>>> with gc_paused():
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block; restored on exit, even on error (and
    left off if it was off)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
