"""What the narrator says in the default intro and outro: every wording in this one table.

A host opens with the show's name, the episode and who is on it ("Welcome to The Bench. Today:
Small Forests, with Dr. Ada Okafor."), and signs off the same way; each part is left out when the
script does not give it, so no announcement ever reads "This is: None".

The wordings exist in English, German, French and Spanish, picked by the episode's language;
for any other language the default intro and outro are the sting alone (``unannounced``
says so), since a narrator of that language reading English would sound wrong: give
``intro:``/``outro:`` text in the script's language instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .language import primary
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


@dataclass(frozen=True)
class Wording:
    """A language's intro and outro, and how it lists guests."""

    intro: Mapping[tuple[bool, bool, bool], str]
    outro: Mapping[tuple[bool, bool, bool], str]
    joiner: str = " and "
    panel: str = "{count} guests"


WORDINGS: Mapping[str, Wording] = {
    "en": Wording(INTRO, OUTRO),
    "de": Wording(
        {
            (True, True, True): "Willkommen bei {show}. Heute: {title}, mit {guests}.",
            (True, True, False): "Willkommen bei {show}. Heute: {title}.",
            (True, False, True): "Willkommen bei {show}. Heute zu Gast: {guests}.",
            (True, False, False): "Willkommen bei {show}.",
            (False, True, True): "Hallo und willkommen. Heute: {title}, mit {guests}.",
            (False, True, False): "Hallo und willkommen. Heute: {title}.",
            (False, False, True): "Hallo und willkommen. Heute zu Gast: {guests}.",
            (False, False, False): "Hallo und willkommen.",
        },
        {
            (True, True, True): "Das war {title}, mit {guests}. Danke fürs Zuhören bei {show}.",
            (True, True, False): "Das war {title}. Danke fürs Zuhören bei {show}.",
            (True, False, True): "Danke an {guests}, und an Sie fürs Zuhören bei {show}.",
            (True, False, False): "Danke fürs Zuhören bei {show}.",
            (False, True, True): "Das war {title}, mit {guests}. Danke fürs Zuhören.",
            (False, True, False): "Das war {title}. Danke fürs Zuhören.",
            (False, False, True): "Danke an {guests}, und an Sie fürs Zuhören.",
            (False, False, False): "Danke fürs Zuhören.",
        },
        joiner=" und ",
        panel="{count} Gäste",
    ),
    "fr": Wording(
        {
            (True, True, True): "Bienvenue dans {show}. Aujourd'hui : {title}, avec {guests}.",
            (True, True, False): "Bienvenue dans {show}. Aujourd'hui : {title}.",
            (True, False, True): "Bienvenue dans {show}. Aujourd'hui, avec {guests}.",
            (True, False, False): "Bienvenue dans {show}.",
            (False, True, True): "Bonjour et bienvenue. Aujourd'hui : {title}, avec {guests}.",
            (False, True, False): "Bonjour et bienvenue. Aujourd'hui : {title}.",
            (False, False, True): "Bonjour et bienvenue. Aujourd'hui, avec {guests}.",
            (False, False, False): "Bonjour et bienvenue.",
        },
        {
            (True, True, True): "C'était {title}, avec {guests}. Merci d'avoir écouté {show}.",
            (True, True, False): "C'était {title}. Merci d'avoir écouté {show}.",
            (True, False, True): "Merci à {guests}, et à vous d'avoir écouté {show}.",
            (True, False, False): "Merci d'avoir écouté {show}.",
            (False, True, True): "C'était {title}, avec {guests}. Merci de votre écoute.",
            (False, True, False): "C'était {title}. Merci de votre écoute.",
            (False, False, True): "Merci à {guests}, et à vous pour votre écoute.",
            (False, False, False): "Merci de votre écoute.",
        },
        joiner=" et ",
        panel="{count} invités",
    ),
    "es": Wording(
        {
            (True, True, True): "Bienvenidos a {show}. Hoy: {title}, con {guests}.",
            (True, True, False): "Bienvenidos a {show}. Hoy: {title}.",
            (True, False, True): "Bienvenidos a {show}. Hoy nos acompaña {guests}.",
            (True, False, False): "Bienvenidos a {show}.",
            (False, True, True): "Hola y bienvenidos. Hoy: {title}, con {guests}.",
            (False, True, False): "Hola y bienvenidos. Hoy: {title}.",
            (False, False, True): "Hola y bienvenidos. Hoy nos acompaña {guests}.",
            (False, False, False): "Hola y bienvenidos.",
        },
        {
            (True, True, True): "Esto fue {title}, con {guests}. Gracias por escuchar {show}.",
            (True, True, False): "Esto fue {title}. Gracias por escuchar {show}.",
            (True, False, True): "Gracias a {guests}, y a ustedes por escuchar {show}.",
            (True, False, False): "Gracias por escuchar {show}.",
            (False, True, True): "Esto fue {title}, con {guests}. Gracias por escuchar.",
            (False, True, False): "Esto fue {title}. Gracias por escuchar.",
            (False, False, True): "Gracias a {guests}, y a ustedes por escuchar.",
            (False, False, False): "Gracias por escuchar.",
        },
        joiner=" y ",
        panel="{count} invitados",
    ),
}
"""Default announcements by primary language subtag."""


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


def _names(names: Sequence[str], wording: Wording) -> str:
    if len(names) > MOST_GUESTS:
        return wording.panel.format(count=len(names))
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + wording.joiner + names[-1]


def _say(script: Script, outro: bool) -> str | None:
    wording = WORDINGS.get(primary(script.metadata.language))
    if wording is None:
        return None
    show, title, people = script.metadata.show, script.title, guests(script)
    table = wording.outro if outro else wording.intro
    said = table[(bool(show), bool(title), bool(people))]
    return said.format(show=show, title=title, guests=_names(people, wording))


def unannounced(script: Script) -> str | None:
    """A warning when the default intro and outro cannot be spoken in the script's language."""
    if primary(script.metadata.language) in WORDINGS:
        return None
    return (
        f"no default intro or outro wording in {script.metadata.language}: the sting plays "
        "alone; give intro: and outro: text in the script's language"
    )


def default_intro(script: Script) -> Bumper:
    """The sting, then the narrator announcing the show, the episode and its guests."""
    return Bumper(audio="sting", text=_say(script, outro=False))


def default_outro(script: Script) -> Bumper:
    """The narrator signing off, then the sting."""
    return Bumper(audio="sting", text=_say(script, outro=True))
