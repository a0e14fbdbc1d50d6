"""The ``AUDIOCAST`` tag: marks a file as an audiocast episode and carries what the feed needs.

No standard tag holds an episode's number, season, type, link or show notes in every container,
so they travel as one JSON value (ID3 ``TXXX:AUDIOCAST``, Vorbis ``AUDIOCAST``, MP4
``----:com.audiocast:AUDIOCAST``); its presence is what makes a file an episode for the feed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

MARKER = "AUDIOCAST"
MP4_MARKER = f"----:com.audiocast:{MARKER}"
FEED_KEYS = ("episode", "season", "episode_type", "link", "content", "guid")
"""Front matter keys the feed reads (``itunes:episode``, ``content:encoded``...)."""


def marker_text(feed: Mapping[str, Any]) -> str:
    """The tag's value: the feed details as JSON."""
    return json.dumps({"version": 1, **dict(feed)}, ensure_ascii=False, sort_keys=True)


def read_marker(text: str) -> dict[str, Any]:
    """The feed details back from the tag's value (``{}`` when it is not JSON)."""
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
