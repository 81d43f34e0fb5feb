"""The embedded graph: the :class:`Landscape`, its views, the audit and analytics."""

from .audit import Finding, audit
from .landscape import Landscape

__all__ = ["Landscape", "Finding", "audit"]
