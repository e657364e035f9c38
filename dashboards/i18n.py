"""The current language (RU/EN) and texts, numbers and dates in it.

The language lives in ``st.session_state[LANGUAGE_KEY]``, set by the sidebar switch the router
draws on every page. Until the user picks one it follows the browser: Russian when the browser
prefers Russian to English (``st.context.locale``, then ``Accept-Language``), else English.
Texts are in ``messages.py``; formatting rules in ``formats.py`` and ``metrics.py``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable

import streamlit as st

from dashboards import formats, metrics
from dashboards.messages import LANGUAGES, MESSAGES, translate

LANGUAGE_KEY = "language"
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES = {"ru": "RU", "en": "EN"}


def preferred_language(locale: str | None, accept_language: str | None) -> str:
    """``ru`` or ``en``: the first of the browser's languages that we have, else English.

    ``locale`` is ``navigator.language`` (``ru-RU``); ``accept_language`` the request header
    (``de-DE,ru;q=0.9,en;q=0.8``), read by quality.
    """
    tags: list[tuple[float, int, str]] = []
    for i, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        tags.append((-quality, i, tag))
    for candidate in [locale or "", *(tag for _, _, tag in sorted(tags))]:
        primary = candidate.strip().lower().replace("_", "-").split("-")[0]
        if primary in LANGUAGES:
            return primary
    return DEFAULT_LANGUAGE


def browser_language() -> str:
    return preferred_language(st.context.locale, st.context.headers.get("Accept-Language"))


def language() -> str:
    """The session's language (the browser's until the user switches)."""
    picked = st.session_state.get(LANGUAGE_KEY)
    return picked if picked in LANGUAGES else browser_language()


def language_switch() -> str:
    """The RU/EN switch in the sidebar; returns the language in effect."""
    if st.session_state.get(LANGUAGE_KEY) not in LANGUAGES:
        st.session_state[LANGUAGE_KEY] = browser_language()
    st.sidebar.segmented_control(
        translate("app.language", st.session_state[LANGUAGE_KEY]),
        options=list(LANGUAGES),
        format_func=LANGUAGE_NAMES.get,
        required=True,
        key=LANGUAGE_KEY,
    )
    return language()


def t(key: str, **fields: object) -> str:
    """The text for ``key`` in the session's language."""
    return translate(key, language(), **fields)


# --- numbers and dates in the session's language ------------------------------------------


def count(value: metrics.Number) -> str:
    return metrics.fmt_count(value, lang=language())


def kpi(value: metrics.Number) -> str:
    return metrics.fmt_kpi(value, lang=language())


def money(value: metrics.Number, currency: str, decimals: int = 0) -> str:
    return metrics.fmt_money(value, currency, decimals, lang=language())


def pct(value: metrics.Number, decimals: int = 1) -> str:
    return metrics.fmt_pct(value, decimals, lang=language())


def money_column() -> dict[str, str]:
    """``st.column_config.NumberColumn`` format for whole money amounts: ``6,150`` in English;
    in Russian the browser's own grouping (a printf format can only group with commas), which
    is ``6 150`` in a Russian browser."""
    return {"format": "localized" if language() == "ru" else "%,.0f"}


def date(day: dt.date) -> str:
    return formats.fmt_date(day, language())


def date_time(moment: dt.datetime) -> str:
    return formats.fmt_datetime(moment, language())


def month(day: dt.date) -> str:
    return formats.fmt_month(day, language())


def model_label(model: str, lang: str | None = None) -> str:
    """A known attribution model's name (``first_touch`` → ``First touch`` / ``Первое
    касание``); an unknown one is shown as ``Its name``."""
    key = f"model.{model}"
    if key in MESSAGES:
        return translate(key, lang or language())
    return model.replace("_", " ").capitalize()


def labeller(prefix: str) -> Callable[[str], str]:
    """A widget's ``format_func`` for options named ``<prefix>.<option>`` in ``messages.py``,
    bound to the language of this run (not of whenever it is called)."""
    lang = language()
    if prefix == "model":
        return functools.partial(model_label, lang=lang)
    return lambda option: translate(f"{prefix}.{option}", lang)
