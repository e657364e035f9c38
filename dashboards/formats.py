"""Numbers and dates as each language writes them, pure (no Streamlit).

English: ``1,234.5``, ``344.4%``, ``2025-01-31``. Russian: ``1 234,5`` (a no-break space
groups thousands), ``344,4 %``, ``31.01.2025``.
"""

from __future__ import annotations

import datetime as dt

NBSP = "\u00a0"
# (thousands separator, decimal mark)
SEPARATORS = {"en": (",", "."), "ru": (NBSP, ",")}
# Plotly's layout.separators: the decimal mark, then the thousands separator
PLOTLY_SEPARATORS = {"en": ".,", "ru": "," + NBSP}
PERCENT_SIGN = {"en": "%", "ru": NBSP + "%"}
LARGE_SUFFIXES = {"en": ("B", "M"), "ru": (NBSP + "млрд", NBSP + "млн")}
DATE_FORMAT = {"en": "%Y-%m-%d", "ru": "%d.%m.%Y"}
DATE_INPUT_FORMAT = {"en": "YYYY-MM-DD", "ru": "DD.MM.YYYY"}
MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "ru": (
        "январь",
        "февраль",
        "март",
        "апрель",
        "май",
        "июнь",
        "июль",
        "август",
        "сентябрь",
        "октябрь",
        "ноябрь",
        "декабрь",
    ),
}


def _lang(lang: str) -> str:
    return lang if lang in SEPARATORS else "en"


def localize(text: str, lang: str) -> str:
    """A number written the English way (``1,234.5``) with ``lang``'s separators."""
    group, decimal = SEPARATORS[_lang(lang)]
    if (group, decimal) == (",", "."):
        return text
    return text.replace(",", "\0").replace(".", decimal).replace("\0", group)


def percent_sign(lang: str) -> str:
    return PERCENT_SIGN[_lang(lang)]


def large_suffixes(lang: str) -> tuple[str, str]:
    """Suffixes for billions and millions."""
    return LARGE_SUFFIXES[_lang(lang)]


def fmt_date(day: dt.date, lang: str) -> str:
    return day.strftime(DATE_FORMAT[_lang(lang)])


def fmt_datetime(moment: dt.datetime, lang: str) -> str:
    return moment.strftime(DATE_FORMAT[_lang(lang)] + " %H:%M")


def fmt_month(day: dt.date, lang: str) -> str:
    """``Jan 2025`` / ``январь 2025`` (no OS locale involved)."""
    return f"{MONTHS[_lang(lang)][day.month - 1]} {day.year}"


def date_input_format(lang: str) -> str:
    return DATE_INPUT_FORMAT[_lang(lang)]


def plotly_separators(lang: str) -> str:
    return PLOTLY_SEPARATORS[_lang(lang)]
