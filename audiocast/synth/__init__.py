"""Speech synthesis: engines behind one small interface, a clip cache and a worker pool."""

from .base import Synthesizer, available_engines, get_synthesizer

__all__ = ["Synthesizer", "available_engines", "get_synthesizer"]
