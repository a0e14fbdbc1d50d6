"""The episode file and everything written after it: tags and chapters, sidecars, the feed.

One call per deliverable:

- :class:`Encoder` (``audio.py``): the audio itself, streamed through one ffmpeg.
- :func:`write_tags` (``tags.py``): ID3v2.4 / Vorbis / MP4 tags, cover art and chapters.
- :func:`write_chapters_json` (``chapters.py``): ``<name>.chapters.json``.
- :func:`write_captions` (``captions.py``): ``<name>.vtt``, ``<name>.srt``,
  ``<name>.transcript.json``.
- :func:`write_feed` (``feed.py``): the RSS feed of a folder of episodes.
- :func:`episode_info` / :func:`format_info` (``probe.py``): what ``audiocast info`` prints.

The modules are imported one by one, never from here: rendering a clip must not pay for the
feed's XML libraries, nor auditioning for the loudness meter.
"""
