"""Month and weekday names and the long date format of each language, from Babel (CLDR), not typed by hand."""

from __future__ import annotations

import re
from functools import lru_cache

# The CLDR locale of each language we print: US English and US Spanish (the clinics are in the US; es_US writes dates
# as Spain's es does), and Simplified Chinese.
LOCALES = {"en": "en_US", "es": "es_US", "zh": "zh_Hans"}

# CLDR date fields -> the names Writer.date fills (composition/leaflet.py): the long format of these three locales
# uses only these ("MMMM d, y", "d 'de' MMMM 'de' y", "y年M月d日").
_FIELDS = {"MMMM": "{month}", "M": "{month_number}", "d": "{day}", "y": "{year}"}


class CalendarError(ValueError):
    """Babel's long date format for a language uses a field handouts does not fill."""


@lru_cache(maxsize=None)
def calendar(lang: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """(date format with {day} {month} {month_number} {year}, twelve month names, seven short weekday names from
    Monday) for one of our languages. Babel is imported here only: a cached library (library/cache.py) holds the
    result, so a run that reads the library from its cache never imports it."""
    from babel.dates import get_date_format, get_day_names, get_month_names

    locale = LOCALES[lang]
    months = get_month_names("wide", locale=locale)
    days = get_day_names("abbreviated", locale=locale)
    return (_pattern(get_date_format("long", locale=locale).format, locale), tuple(months[m] for m in range(1, 13)),
            tuple(days[d] for d in range(7)))


def _pattern(cldr: str, locale: str) -> str:
    """Babel's %-style pattern ("%(MMMM)s %(d)s, %(y)s") as a str.format pattern ("{month} {day}, {year}")."""
    text = cldr.replace("%%", "%").replace("{", "{{").replace("}", "}}")

    def field(m: re.Match) -> str:
        if m.group(1) not in _FIELDS:
            raise CalendarError(f"Babel's long date format for {locale} ({cldr!r}) uses {m.group(1)!r}, which handouts does not fill")
        return _FIELDS[m.group(1)]

    return re.sub(r"%\((\w+)\)s", field, text)
