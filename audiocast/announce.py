"""What the narrator says in the default intro and outro: every wording in this one table.

A host opens with the show's name, the episode and who is on it ("Welcome to The Bench. Today:
Small Forests, with Dr. Ada Okafor."), and signs off the same way; each part is left out when the
script does not give it, so no announcement ever reads "This is: None".
"""

from __future__ import annotations

from collections.abc import Sequence

from .model import Bumper, Script

HOST_ROLES = frozenset({"host", "co-host", "cohost", "presenter", "moderator", "interviewer"})
"""Speaker roles that ask the questions: every such speaker is a host (chapters, casting)."""

INTRO = {
    # (show given, title given, guests named) -> wording
    (True, True, True): "Welcome to {show}. Today: {title}, with {guests}.",
    (True, True, False): "Welcome to {show}. Today: {title}.",
    (True, False, True): "Welcome to {show}. Today, my guest is {guests}.",
    (True, False, False): "Welcome to {show}.",
    (False, True, True): "Hello, and welcome. Today: {title}, with {guests}.",
    (False, True, False): "Hello, and welcome. Today: {title}.",
    (False, False, True): "Hello, and welcome. Today, my guest is {guests}.",
    (False, False, False): "Hello, and welcome.",
}
OUTRO = {
    (True, True, True): "That was {title}, with {guests}. Thanks for listening to {show}.",
    (True, True, False): "That was {title}. Thanks for listening to {show}.",
    (True, False, True): "My thanks to {guests}, and to you for listening to {show}.",
    (True, False, False): "Thanks for listening to {show}.",
    (False, True, True): "That was {title}, with {guests}. Thanks for listening.",
    (False, True, False): "That was {title}. Thanks for listening.",
    (False, False, True): "My thanks to {guests}, and to you for listening.",
    (False, False, False): "Thanks for listening.",
}
MOST_GUESTS = 3
"""More guests than this are a panel: named by count, not one by one."""


def hosts(script: Script) -> list[str]:
    """Every speaker whose role is host-like, and the first speaker unless someone is labelled
    ``host`` or the first speaker has a role of their own (``Guest (guest):``)."""
    found = [s.name for s in script.speakers if (s.role or "").lower() in HOST_ROLES]
    first = script.speakers[0] if script.speakers else None
    labelled = any((s.role or "").lower() == "host" for s in script.speakers)
    if first is not None and not first.role and not labelled and first.name not in found:
        found.insert(0, first.name)
    return found


def guests(script: Script) -> list[str]:
    """The speakers who are not hosts (a play's narrator is not a guest either)."""
    host = set(hosts(script))
    return [
        s.name
        for s in script.speakers
        if s.name not in host and s.name.casefold() not in ("narrator", "narration")
    ]


def _names(names: Sequence[str]) -> str:
    if len(names) > MOST_GUESTS:
        return f"{len(names)} guests"
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _say(table: dict[tuple[bool, bool, bool], str], script: Script) -> str:
    show, title, people = script.metadata.show, script.title, guests(script)
    wording = table[(bool(show), bool(title), bool(people))]
    return wording.format(show=show, title=title, guests=_names(people))


def default_intro(script: Script) -> Bumper:
    """The sting, then the narrator announcing the show, the episode and its guests."""
    return Bumper(audio="sting", text=_say(INTRO, script))


def default_outro(script: Script) -> Bumper:
    """The narrator signing off, then the sting."""
    return Bumper(audio="sting", text=_say(OUTRO, script))
