"""The lengths ``mixdown`` lays out around the clips, in seconds: one home for them, so the
length estimate (``audiocast.estimate``) adds up what the mixer writes without importing it."""

MUSIC_LEAD = 1.6
"""Seconds of music before the intro speech starts."""
HANDOVER_FADE = 1.8
"""Seconds over which the intro music fades out under the first line."""
END_TAIL = 0.8
"""Seconds of tone after the last word when no music ends the episode."""
STING_SECONDS = 2.4
"""The built-in sting's length when nothing holds it longer."""
OUTRO_MUSIC_GAP = 0.3
"""Silence between the outro's words and its music."""
