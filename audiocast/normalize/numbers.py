"""Numbers as a speaker says them: years, decades, dates, money, percentages, times, ranges.

Words come from num2words; this module only decides *which* reading a number gets (a year, an
ordinal, an amount of money...) and shapes the result for American English ("one hundred five",
no commas, which eSpeak NG would read as pauses).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from num2words import num2words


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


MONTH_NAMES = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")

# Currency symbol -> (singular, plural, subunit plural or "" when amounts are read as decimals).
CURRENCIES: Mapping[str, tuple[str, str, str]] = {
    "$": ("dollar", "dollars", "cents"),
    "US$": ("US dollar", "US dollars", "cents"),
    "€": ("euro", "euros", "cents"),
    "£": ("pound", "pounds", "pence"),
    "¥": ("yen", "yen", ""),
    "₹": ("rupee", "rupees", ""),
    "₽": ("ruble", "rubles", "kopecks"),
    "₴": ("hryvnia", "hryvnias", ""),
}
SCALES: Mapping[str, str] = {
    "k": "thousand",
    "thousand": "thousand",
    "m": "million",
    "mn": "million",
    "mln": "million",
    "million": "million",
    "b": "billion",
    "bn": "billion",
    "billion": "billion",
    "tn": "trillion",
    "trillion": "trillion",
}
UNITS: Mapping[str, tuple[str, str]] = {
    "km": ("kilometer", "kilometers"),
    "kg": ("kilogram", "kilograms"),
    "cm": ("centimeter", "centimeters"),
    "mm": ("millimeter", "millimeters"),
    "mph": ("mile per hour", "miles per hour"),
    "km/h": ("kilometer per hour", "kilometers per hour"),
    "kph": ("kilometer per hour", "kilometers per hour"),
    "ft": ("foot", "feet"),
    "lb": ("pound", "pounds"),
    "lbs": ("pound", "pounds"),
    "hr": ("hour", "hours"),
    "hrs": ("hour", "hours"),
    "min": ("minute", "minutes"),
    "mins": ("minute", "minutes"),
    "sec": ("second", "seconds"),
    "secs": ("second", "seconds"),
    "°C": ("degree Celsius", "degrees Celsius"),
    "°F": ("degree Fahrenheit", "degrees Fahrenheit"),
    "°": ("degree", "degrees"),
}
# Words after a four-digit number that show it is a year ("the 2024 election").
YEAR_NOUNS = _words(
    "election elections campaign census season olympics games war crisis budget summit "
    "model edition cup championship law act agreement accord deal invasion revolution "
    "vote referendum report survey class cohort film album"
)
# Words before a four-digit number that show it is a year ("in 2005", "since 1991").
YEAR_CUES = _words(
    "in since by from until till of year early late mid circa before after during around "
    "spring summer autumn fall winter through between and to born died founded "
    "q1 q2 q3 q4 h1 h2 fy"
)
# Words after a four-digit number that show it is not a count ("1999 was", "2024 and").
NOT_COUNTED = _words(
    "was is were will would could should may might has had have saw brought marked became "
    "began ended and or but when that which as with for to at on in by of the a an from "
    "after before until onward onwards through"
)

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = "|".join(sorted(SCALES, key=len, reverse=True))
_DASH = r"\s*[–—-]\s*"

_ISO_DATE = re.compile(r"(?<![\w-])(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?![\w-])")
_MONTH_DAY = re.compile(
    rf"\b({MONTH_NAMES})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?![\w:.,]\d|\w)(?:(,?\s+)(\d{{4}})\b)?"
)
_DAY_MONTH = re.compile(
    rf"(?<![\w.,])(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTH_NAMES})\b(?:(,?\s+)(\d{{4}})\b)?"
)
_MONTH_YEAR = re.compile(rf"\b({MONTH_NAMES})(,?\s+)(\d{{4}})\b")
_MONEY = re.compile(
    rf"(?<![\w$])(US\$|[$€£¥₹₽₴])\s?({_NUM})(?:{_DASH}(?:US\$|[$€£¥₹₽₴])?({_NUM}))?"
    rf"(?:\s?({_SCALE})\b(\.(?!\s*$))?)?",
    re.I,
)
_DECADE = re.compile(r"(?<![\w.,])(1[1-9]\d0|20[0-9]0)['’]?s\b")
_SHORT_DECADE = re.compile(r"(?<![\w.,])['’‘]?([2-9])0['’]?s\b")
_YEAR_RANGE = re.compile(r"(?<![\w.,$])(1[1-9]\d\d|20\d\d)\s*[–—-]\s*(\d{4}|\d{2})(?![\w%]|[.,]\d)")
_YEAR = re.compile(r"(?<![\w.,$€£¥/-])(1[1-9]\d\d|20\d\d)(?![\w%/]|[.,:]\d)")
_TIME = re.compile(r"(?<![\w:.,])([01]?\d|2[0-3]):([0-5]\d)(?![\w:]|[.,]\d)(\s?[AP]M\b)?", re.I)
_PHONE = re.compile(
    r"(?<![\w.+-])(?:(?:\+\d{1,3}[ .-]?|1[ .-])?(?:\(\d{2,4}\)\s?|\d{2,4}[ .-])\d{3}[ .-]\d{3,4}"
    r"|\+\d{1,3}(?:[ .-]\d{1,4}){2,5}|\d{3}-\d{4})(?![\w-]|[.,]\d)"
)
_ORDINAL = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})*|\d+)(st|nd|rd|th)\b", re.I)
_PERCENT = re.compile(rf"(?<![\w.,%])([-−+])?({_NUM})(?:\s?%?{_DASH}({_NUM}))?\s?%")
# "-3°C", "10-20 kg": the sign and the range belong to the measure, not to the rules below.
_UNIT = re.compile(
    rf"(?<![\w.,])([-−+])?({_NUM})(?:{_DASH}({_NUM}))?\s?(km/h|°C|°F|°|"
    + "|".join(u for u in sorted(UNITS, key=len, reverse=True) if u[0].isalpha())
    + r")(?!\w)"
)
_RANGE = re.compile(rf"(?<![\w.,])({_NUM}){_DASH}({_NUM})(?![\w]|[.,]\d)")
_NEGATIVE = re.compile(rf"(?<![\w.,%])[-−]({_NUM})(?![\w])")
_FEET_INCHES = re.compile(r"(?<![\w.,])(\d)['’]\s?(\d{1,2})(?:\"|”|''|’’)")
_FRACTION = re.compile(r"(?<![\w.,/])([1-9])/([2-9]|10)(?![\w/]|[.,]\d)")
_LETTER_NUMBER = re.compile(r"(?<=[A-Za-z])-(?=\d)")
_SAID_AS_NAMES = {"24/7": "twenty-four seven", "9/11": "nine eleven", "7/7": "seven seven"}
_NAMED = re.compile(r"(?<![\w/])(24/7|9/11|7/7)(?![\w/])")
# Next to a slash ("11/8/2024", "2.0/3") the engine's own reading is kept.
_CARDINAL = re.compile(rf"(?<![\w.,/])({_NUM})(?![\w/]|[.,]\d)")


# Another language's whole numbers: not next to a decimal or thousands mark, a sign, a slash, a
# colon or letters, and not before "." and a word (a German "21. Mai" is an ordinal).
_WHOLE = re.compile(r"(?<![\w.,/:+−-])(\d{1,15})(?![\w/:%]|[.,]\d|\.\s*\w)")


def whole_numbers(text: str, lang: str | None) -> str:
    """Whole numbers in ``text`` as num2words says them in ``lang`` (its code, ``de``, ``fr_CH``);
    everything else (decimals, dates, money, ordinals) is left to the engine's own reading, as
    is every number when num2words has no such language (``lang`` is ``None``)."""
    if lang is None or not any(c.isdigit() for c in text):
        return text

    def words(m: re.Match[str]) -> str:
        digits_ = m.group(1)
        if len(digits_) > 1 and digits_.startswith("0"):
            return digits_
        try:
            return str(num2words(int(digits_), lang=lang)).replace(",", "")
        except (NotImplementedError, OverflowError, ValueError, KeyError):
            return digits_

    return _WHOLE.sub(words, text)


def cardinal(number: str) -> str:
    """``"1,200,000"`` -> ``"one million two hundred thousand"``; ``"3.05"`` -> ``"three point
    zero five"``; long or zero-led digit strings are read digit by digit."""
    whole, _, fraction = number.replace(",", "").partition(".")
    if len(whole) > 15 or (len(whole) > 1 and whole.startswith("0")):
        words = digits(whole)
    else:
        words = _clean(num2words(int(whole or "0")))
    if fraction:
        words += " point " + digits(fraction)
    return words


def digits(text: str) -> str:
    return " ".join(DIGITS[int(c)] for c in text if c.isdigit())


def ordinal(number: str) -> str:
    whole = number.replace(",", "")
    if len(whole) > 15:
        return cardinal(whole)  # read digit by digit, like any overlong number
    return _clean(num2words(int(whole), to="ordinal"))


def year(number: str) -> str:
    """``"1999"`` -> ``"nineteen ninety-nine"``, ``"2005"`` -> ``"two thousand five"``."""
    value = int(number)
    if 2000 <= value <= 2009 or value < 1000:
        return _clean(num2words(value))
    return _clean(num2words(value, to="year")).replace("oh-", "oh ")


def _clean(words: str) -> str:
    # American usage, and no commas: eSpeak NG pauses at every comma.
    return words.replace(",", "").replace(" and ", " ")


def _plural(words: str) -> str:
    if words.endswith("y"):
        return words[:-1] + "ies"
    if words.endswith("x"):
        return words + "es"
    return words + "s"


def _is_one(number: str) -> bool:
    return number.replace(",", "") in {"1", "1.0", "1.00"}


def expand(text: str) -> str:
    """Rewrite every number in ``text`` as words, choosing the reading from its context."""
    if not any(c.isdigit() for c in text):
        return text
    text = _NAMED.sub(lambda m: _SAID_AS_NAMES[m.group(1)], text)
    text = _ISO_DATE.sub(_iso_date, text)
    text = _MONTH_DAY.sub(_month_day, text)
    text = _DAY_MONTH.sub(_day_month, text)
    text = _MONTH_YEAR.sub(lambda m: f"{m.group(1)}{m.group(2)}{year(m.group(3))}", text)
    text = _MONEY.sub(_money, text)
    text = _PHONE.sub(_phone, text)
    text = _DECADE.sub(lambda m: _plural(year(m.group(1))), text)
    text = _SHORT_DECADE.sub(lambda m: _plural(_clean(num2words(int(m.group(1)) * 10))), text)
    text = _YEAR_RANGE.sub(_year_range, text)
    text = _YEAR.sub(_year_or_number, text)
    text = _TIME.sub(_time, text)
    text = _FEET_INCHES.sub(lambda m: f"{cardinal(m.group(1))} foot {cardinal(m.group(2))}", text)
    text = _FRACTION.sub(_fraction, text)
    text = _ORDINAL.sub(lambda m: ordinal(m.group(1)), text)
    text = _PERCENT.sub(_percent, text)
    text = _UNIT.sub(_unit, text)
    text = _RANGE.sub(_range, text)
    text = _NEGATIVE.sub(lambda m: "minus " + cardinal(m.group(1)), text)
    text = _LETTER_NUMBER.sub(" ", text)
    return _CARDINAL.sub(lambda m: cardinal(m.group(1)), text)


def _iso_date(m: re.Match[str]) -> str:
    month = MONTH_NAMES.split("|")[int(m.group(2)) - 1]
    return f"{month} {ordinal(m.group(3))}, {year(m.group(1))}"


def _month_day(m: re.Match[str]) -> str:
    day = int(m.group(2))
    if not 1 <= day <= 31:
        return m.group(0)
    tail = f"{m.group(3)}{year(m.group(4))}" if m.group(4) else ""
    return f"{m.group(1)} {ordinal(m.group(2))}{tail}"


def _day_month(m: re.Match[str]) -> str:
    day = int(m.group(1))
    if not 1 <= day <= 31:
        return m.group(0)
    tail = f"{m.group(3)}{year(m.group(4))}" if m.group(4) else ""
    return f"the {ordinal(m.group(1))} of {m.group(2)}{tail}"


def _money(m: re.Match[str]) -> str:
    symbol = m.group(1).upper() if m.group(1).lower() == "us$" else m.group(1)
    one, many, sub = CURRENCIES[symbol]
    low, high, scale = m.group(2), m.group(3), m.group(4)
    scale_words = f" {SCALES[scale.lower()]}" if scale else ""
    if high:
        return f"{cardinal(low)} to {cardinal(high)}{scale_words} {many}"
    whole, _, cents = low.replace(",", "").partition(".")
    if not scale and sub and len(cents) == 2:
        cents_words = f"{cardinal(cents.lstrip('0') or '0')} {sub}" if int(cents) else ""
        if int(whole or "0") == 0 and cents_words:
            return cents_words
        unit = one if whole == "1" else many
        joined = f" and {cents_words}" if cents_words else ""
        return f"{cardinal(whole)} {unit}{joined}"
    unit = one if _is_one(low) and not scale else many
    return f"{cardinal(low)}{scale_words} {unit}"


def _year_range(m: re.Match[str]) -> str:
    first, second = m.group(1), m.group(2)
    if len(second) == 2:
        if int(second) <= int(first[2:]):
            return m.group(0) if int(second) == 0 else _range_words(first, second)
        if second.startswith("0"):
            tail = "oh " + DIGITS[int(second)]
        else:
            tail = _clean(num2words(int(second)))
        return f"{year(first)} to {tail}"
    if int(second) > int(first) and int(second) - int(first) < 200:
        return f"{year(first)} to {year(second)}"
    return m.group(0)


def _range_words(first: str, second: str) -> str:
    return f"{cardinal(first)} to {cardinal(second)}"


_NEXT_WORD = re.compile(r"\s+([A-Za-z]+)")
_PREVIOUS_WORD = re.compile(r"([A-Za-z]+\d?)[\s,]*$")


def _year_or_number(m: re.Match[str]) -> str:
    number = m.group(1)
    before = _PREVIOUS_WORD.search(m.string[max(0, m.start() - 40) : m.start()])
    if before and before.group(1).lower() in YEAR_CUES:
        return year(number)
    after = _NEXT_WORD.match(m.string, m.end())
    if after is None or after.group(1)[0].isupper():
        return year(number)
    if after.group(1).lower() in YEAR_NOUNS or after.group(1).lower() in NOT_COUNTED:
        return year(number)
    return cardinal(number)


def _time(m: re.Match[str]) -> str:
    hour, minute, suffix = int(m.group(1)), int(m.group(2)), m.group(3)
    words = cardinal(str(hour))
    if minute == 0:
        words += "" if suffix or hour == 0 or hour > 12 else " o'clock"
        if hour > 12 or hour == 0:
            words += " hundred"
    elif minute < 10:
        words += " oh " + DIGITS[minute]
    else:
        words += " " + cardinal(str(minute))
    return words + (f" {suffix.strip().upper()}" if suffix else "")


def _phone(m: re.Match[str]) -> str:
    groups = re.findall(r"\+|\d+", m.group(0))
    if len(groups) == 2 and all(g.endswith("0") for g in groups):
        return m.group(0)  # "100-1000 people", "200-2000": a range of round numbers

    spoken = ["plus" if g == "+" else digits(g).replace("zero", "oh") for g in groups]
    # Pair "plus" with the country code, so the listener hears the groups as written.
    if spoken and spoken[0] == "plus" and len(spoken) > 1:
        spoken[:2] = [f"plus {spoken[1]}"]
    return ", ".join(spoken)


def _percent(m: re.Match[str]) -> str:
    sign = {"": "", "+": "plus "}.get(m.group(1) or "", "minus ")
    if m.group(3):
        return f"{sign}{cardinal(m.group(2))} to {cardinal(m.group(3))} percent"
    return f"{sign}{cardinal(m.group(2))} percent"


def _unit(m: re.Match[str]) -> str:
    sign = {None: "", "+": "plus "}.get(m.group(1), "minus ")
    low, high = m.group(2), m.group(3)
    one, many = UNITS[m.group(4)]
    if high:
        return f"{sign}{cardinal(low)} to {cardinal(high)} {many}"
    return f"{sign}{cardinal(low)} {one if _is_one(low) else many}"


def _fraction(m: re.Match[str]) -> str:
    top, bottom = int(m.group(1)), int(m.group(2))
    if top >= bottom:
        return m.group(0)
    name = {2: "half", 4: "quarter"}.get(bottom) or _clean(num2words(bottom, to="ordinal"))
    return f"{cardinal(str(top))} {_plural(name) if top > 1 else name}".replace("halfs", "halves")


def _range(m: re.Match[str]) -> str:
    first, second = m.group(1), m.group(2)
    if first == second:  # "50-50"
        return f"{cardinal(first)} {cardinal(second)}"
    return _range_words(first, second)
