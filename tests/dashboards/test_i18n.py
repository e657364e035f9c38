"""RU/EN: the messages, the browser's language, number and date formats, and the switch on every
page (AppTest)."""

from __future__ import annotations

import datetime as dt
import string
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboards import formats, metrics
from dashboards.i18n import preferred_language
from dashboards.messages import LANGUAGES, MESSAGES, translate

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
TIMEOUT_S = 60
NBSP = "\u00a0"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


# --- messages -----------------------------------------------------------------------------------


def test_every_message_has_both_languages_with_the_same_fields():
    for key, entry in MESSAGES.items():
        assert set(entry) == set(LANGUAGES), key
        assert all(entry[lang].strip() for lang in LANGUAGES), key
        assert _fields(entry["ru"]) == _fields(entry["en"]), key


def test_translate_formats_and_falls_back_to_english():
    assert translate("col.cost", "ru", cur="RUB") == "Расход, RUB"
    assert translate("col.cost", "en", cur="USD") == "Cost, USD"
    assert translate("page.overview", "de") == "Overview"
    with pytest.raises(KeyError):
        translate("no.such.key", "en")


def test_every_key_the_code_uses_exists():
    """Keys written literally as t("…") / translate("…") in dashboards/ are all defined."""
    import re

    used = set()
    for path in (APP.parent).rglob("*.py"):
        used |= set(re.findall(r'\b(?:t|translate)\(\s*"([a-z_]+\.[a-z0-9_.]+)"', path.read_text()))
    assert used, "found no keys: the pattern is stale"
    assert sorted(used - set(MESSAGES)) == []


# --- the browser's language ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "header", "expected"),
    [
        ("ru-RU", None, "ru"),
        ("ru", "en-US,en;q=0.9", "ru"),  # navigator.language comes first
        ("en-US", "ru-RU,ru;q=0.9", "en"),
        (None, "ru-RU,ru;q=0.9,en-US;q=0.8", "ru"),
        (None, "de-DE,en;q=0.5,ru;q=0.8", "ru"),  # by quality, not by position
        ("de-DE", "de-DE,fr;q=0.9", "en"),  # neither: English
        (None, None, "en"),
        ("", "ru;q=bad,en", "en"),
        ("RU_ru", None, "ru"),
    ],
)
def test_preferred_language(locale, header, expected):
    assert preferred_language(locale, header) == expected


# --- numbers and dates --------------------------------------------------------------------------


def test_numbers_per_language():
    assert formats.localize("1,234.5", "ru") == f"1{NBSP}234,5"
    assert formats.localize("1,234.5", "en") == "1,234.5"
    assert metrics.fmt_count(1234.5, lang="ru") == f"1{NBSP}234,5"
    assert metrics.fmt_count(1234.5) == "1,234.5"
    assert metrics.fmt_money(1234567, "RUB", lang="ru") == f"1{NBSP}234{NBSP}567 RUB"
    assert metrics.fmt_money(1234567, "USD") == "1,234,567 USD"
    assert metrics.fmt_pct(3.4444, lang="ru") == f"344,4{NBSP}%"
    assert metrics.fmt_pct(3.4444) == "344.4%"
    assert metrics.fmt_kpi(1_234_567, lang="ru") == f"1,23{NBSP}млн"
    assert metrics.fmt_kpi(1_234_567) == "1.23M"
    for lang in LANGUAGES:
        assert metrics.fmt_pct(None, lang=lang) == metrics.fmt_money(None, "RUB", lang=lang) == "—"


def test_dates_per_language():
    day = dt.date(2025, 1, 31)
    assert formats.fmt_date(day, "ru") == "31.01.2025"
    assert formats.fmt_date(day, "en") == "2025-01-31"
    assert formats.fmt_datetime(dt.datetime(2025, 2, 1, 6, 30), "ru") == "01.02.2025 06:30"
    assert formats.fmt_month(day, "ru") == "январь 2025"
    assert formats.fmt_month(dt.date(2024, 12, 1), "en") == "Dec 2024"
    assert formats.date_input_format("ru") == "DD.MM.YYYY"
    assert formats.plotly_separators("ru") == "," + NBSP


# --- the switch, on every page ------------------------------------------------------------------

# page → (its title, and one more label from its body) in each language
PAGE_LABELS = {
    "views/overview.py": {
        "ru": ("Обзор", "Расход, RUB"),
        "en": ("Overview", "Cost, RUB"),
    },
    "views/channel_roi.py": {
        "ru": ("ROI каналов", "Расход, RUB"),
        "en": ("Channel ROI", "Cost, RUB"),
    },
    "views/funnel.py": {"ru": ("Воронка", "Визиты"), "en": ("Funnel", "Visits")},
    "views/model_comparison.py": {
        "ru": ("Сравнение моделей", "Начисления рядом"),
        "en": ("Model comparison", "Credit side by side"),
    },
    "views/channels.py": {
        "ru": ("Каналы и кампании", "Каналы"),
        "en": ("Channels & campaigns", "Channels"),
    },
}


def _labels(at: AppTest) -> dict[str, object]:
    """What a language switch must change: titles, headings, KPI labels, sidebar labels and
    captions, table headers and download buttons."""
    return {
        "title": at.title[0].value,
        "body": [h.value for h in at.subheader] + [m.label for m in at.metric],
        "sidebar": [w.label for w in (*at.sidebar.selectbox, *at.sidebar.date_input)]
        + [c.value for c in at.sidebar.caption],
        "downloads": [b.proto.label for b in at.get("download_button")],
        "columns": [
            cfg["label"]
            for df in at.dataframe
            for cfg in _column_config(df).values()
            if cfg.get("label")
        ],
    }


def _column_config(df) -> dict:
    import json

    return json.loads(df.proto.columns or "{}")


def _switch(at: AppTest, lang: str) -> None:
    at.sidebar.button_group(key="language").set_value(lang).run()
    assert not at.exception, [e.value for e in at.exception]


@pytest.mark.parametrize("page", sorted(PAGE_LABELS))
def test_switching_language_changes_the_labels(serving_path, page):
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run()
    at.switch_page(page).run()
    assert not at.exception
    assert at.sidebar.button_group(key="language").value == "en"  # AppTest sends no locale
    english = _labels(at)
    title, body = PAGE_LABELS[page]["en"]
    assert english["title"] == title
    assert body in english["body"] + english["columns"]

    _switch(at, "ru")
    russian = _labels(at)
    title, body = PAGE_LABELS[page]["ru"]
    assert russian["title"] == title
    assert body in russian["body"] + russian["columns"]
    assert "Данные на 01.02.2025 06:30 MSK" in " ".join(russian["sidebar"])
    for part in ("body", "sidebar", "columns"):
        changed = [ru for ru, en in zip(russian[part], english[part], strict=True) if ru != en]
        kept = [ru for ru, en in zip(russian[part], english[part], strict=True) if ru == en]
        # only names that are the same in both languages (ROI, ROMI, CPL, 95% …) stay
        assert all(label.isascii() and label.upper() == label for label in kept), (part, kept)
        assert changed, part
    assert russian["downloads"][1::2] == english["downloads"][1::2]  # "Excel (XLSX)"

    _switch(at, "en")
    assert _labels(at) == english  # and back, exactly
    # the filters were kept through both switches
    assert at.session_state["filter_period"] == "last_30"


def test_router_page_titles_are_translated(serving_path):
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run()
    _switch(at, "ru")
    at.switch_page("views/funnel.py").run()
    assert at.title[0].value == "Воронка"
    assert at.sidebar.button_group(key="language").value == "ru"  # kept across pages


def test_russian_browser_gets_russian(serving_path):
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    at.context = {"locale": "ru-RU"}
    at.run()
    assert not at.exception
    assert at.title[0].value == "Обзор"
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Расход, RUB"] == f"6{NBSP}750"
    assert tiles["ROI"] == f"344,4{NBSP}%"
    assert tiles["Выручка, RUB"] == f"30{NBSP}000"
    assert at.sidebar.date_input(key="filter_dates").proto.format == "DD.MM.YYYY"
    captions = " ".join(c.value for c in at.main.caption)
    assert "02.01.2025 … 31.01.2025 · атрибуция: Первое касание · все каналы" in captions
    # the user's pick wins over the browser from then on
    _switch(at, "en")
    assert at.title[0].value == "Overview"
