"""Shared page chrome: the snapshot guard and the sidebar filters every page uses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from dashboards import data, formats, periods
from dashboards.i18n import date, date_time, labeller, language, model_label, t

PRESET_KEY = "filter_period"
DATES_KEY = "filter_dates"
MODEL_KEY = "filter_model"
CHANNELS_KEY = "filter_channels"


@dataclass(frozen=True)
class Filters:
    start: dt.date
    end: dt.date
    model: str
    channels: tuple[str, ...]  # empty = all channels
    currency: str


def snapshot_or_stop() -> data.Snapshot:
    """The current snapshot; without one, a friendly note and the page stops here."""
    snapshot = data.current_snapshot()
    if snapshot is None:
        st.info(t("filter.no_data"), icon=":material/hourglass_empty:")
        st.stop()
    return snapshot


def _date_range(picked: object, default: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date]:
    if isinstance(picked, tuple | list):
        if len(picked) == 2:
            return picked[0], picked[1]
        if len(picked) == 1:  # the user has clicked the start date, not yet the end
            return picked[0], picked[0]
        return default
    if isinstance(picked, dt.date):
        return picked, picked
    return default


def _seed_state(
    first: dt.date,
    last: dt.date,
    models: tuple[str, ...],
    channels: list[str],
) -> None:
    """Put the filters' values in Session State (defaults first time, kept across pages).

    Widget state is dropped when its page is left; re-assigning it keeps the user's filters
    when they switch pages. A preset (not "custom") decides the dates on every run, so a new
    snapshot moves "last 30 days" along; custom dates a new snapshot no longer covers fall
    back to the default preset.
    """
    state = st.session_state
    preset = state.get(PRESET_KEY)
    dates = state.get(DATES_KEY)
    if preset == periods.CUSTOM and not (
        isinstance(dates, tuple | list) and dates and all(first <= d <= last for d in dates)
    ):
        preset = None
    if preset not in periods.PRESETS:
        preset = periods.DEFAULT_PRESET
    if preset != periods.CUSTOM:
        dates = periods.clip(periods.preset_range(preset, last), first, last)
    state[PRESET_KEY] = preset
    state[DATES_KEY] = tuple(dates)
    model = state.get(MODEL_KEY)
    state[MODEL_KEY] = model if model in models else models[0]
    state[CHANNELS_KEY] = [c for c in state.get(CHANNELS_KEY) or [] if c in channels]


def _dates_picked() -> None:
    """Dates picked by hand make the period custom (callback of the date input)."""
    st.session_state[PRESET_KEY] = periods.CUSTOM


def sidebar_filters(snapshot: data.Snapshot, *, model_picker: bool = True) -> Filters:
    """Period preset and date range (default: the last 30 days of data), attribution model,
    channels, and the "Data as of …" note, all in the sidebar.

    ``model_picker=False`` leaves the model out (a page that shows every model); the model
    picked on other pages is kept for them and still returned.
    """
    meta = data.publish_meta(snapshot)
    bounds = data.date_bounds(snapshot)
    if bounds is None:
        st.info(t("filter.empty_snapshot"), icon=":material/hourglass_empty:")
        st.stop()
    first, last = bounds
    all_channels = data.channels(snapshot)
    _seed_state(first, last, meta.attribution_models, all_channels)
    default = periods.clip(periods.preset_range(periods.DEFAULT_PRESET, last), first, last)

    with st.sidebar:
        st.selectbox(
            t("filter.period"),
            options=list(periods.PRESETS),
            format_func=labeller("preset"),
            key=PRESET_KEY,
            help=t("filter.period_help", last=date(last)),
        )
        picked = st.date_input(
            t("filter.dates"),
            min_value=first,
            max_value=last,
            format=formats.date_input_format(language()),
            key=DATES_KEY,
            on_change=_dates_picked,
            help=t("filter.dates_help", first=date(first), last=date(last)),
        )
        start, end = _date_range(picked, default)
        model = st.session_state[MODEL_KEY]  # kept for the other pages when not shown here
        if model_picker:
            model = st.selectbox(
                t("filter.model"),
                options=list(meta.attribution_models),
                format_func=labeller("model"),
                key=MODEL_KEY,
                help=t("filter.model_help"),
            )
        chosen = st.multiselect(
            t("filter.channels"),
            options=all_channels,
            placeholder=t("filter.all_channels"),
            key=CHANNELS_KEY,
        )
        local = meta.published_at_local()
        when = t(
            "filter.data_as_of",
            when=date_time(local),
            tz=local.tzname(),
            timezone=meta.reporting_timezone,
        )
        sources = (
            " · " + t("filter.sources", sources=", ".join(meta.sources)) if meta.sources else ""
        )
        st.caption(f"{when}  \n{t('filter.money_in', currency=meta.reporting_currency)}{sources}")
    return Filters(
        start=start,
        end=end,
        model=model or meta.default_model,
        channels=tuple(chosen),
        currency=meta.reporting_currency,
    )


def caption(f: Filters) -> str:
    """``2025-01-02 … 2025-01-31 · First touch attribution · all channels``."""
    return t(
        "filter.caption",
        start=date(f.start),
        end=date(f.end),
        model=model_label(f.model),
        channels=", ".join(f.channels) if f.channels else t("filter.all_channels_lower"),
    )
