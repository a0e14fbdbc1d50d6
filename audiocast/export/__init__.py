"""Everything written after the audio: tags and chapters in the file, sidecars, and the feed.

One call per deliverable:

- :func:`write_tags` (``tags.py``): ID3v2.4 / Vorbis / MP4 tags, cover art and chapters.
- :func:`write_chapters_json` (``chapters.py``): ``<name>.chapters.json``.
- :func:`write_captions` (``captions.py``): ``<name>.vtt``, ``<name>.srt``,
  ``<name>.transcript.json``.
- :func:`write_feed` (``feed.py``): the RSS feed of a folder of episodes.
- :func:`episode_info` / :func:`format_info` (``probe.py``): what ``audiocast info`` prints.
"""

from __future__ import annotations

from .captions import to_srt, to_transcript_json, to_vtt, write_captions
from .chapters import chapters_json, chapters_path, write_chapters_json
from .feed import ShowSettings, build_feed, load_show_settings, show_settings_from_dict, write_feed
from .probe import episode_info, format_info, measure_file
from .tags import EpisodeTags, read_chapters, read_tags, write_tags

__all__ = [
    "EpisodeTags",
    "ShowSettings",
    "build_feed",
    "chapters_json",
    "chapters_path",
    "episode_info",
    "format_info",
    "load_show_settings",
    "measure_file",
    "read_chapters",
    "read_tags",
    "show_settings_from_dict",
    "to_srt",
    "to_transcript_json",
    "to_vtt",
    "write_captions",
    "write_chapters_json",
    "write_feed",
    "write_tags",
]
