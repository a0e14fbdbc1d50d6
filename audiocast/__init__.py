"""audiocast: turn a written interview into a finished podcast episode, offline."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
