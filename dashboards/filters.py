"""Shared page chrome: the snapshot guard and the sidebar filters every page uses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from dashboards import data

NO_DATA_MESSAGE = "No data published yet: run `make build`, then reload this page."
EMPTY_SNAPSHOT_MESSAGE = (
    "The published snapshot has no rows yet: check the sources and run `make build`."
)
DEFAULT_DAYS = 30

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


def model_label(model: str) -> str:
    """``first_touch`` → ``First touch``."""
    return model.replace("_", " ").capitalize()


def snapshot_or_stop() -> data.Snapshot:
    """The current snapshot; without one, a friendly note and the page stops here."""
    snapshot = data.current_snapshot()
    if snapshot is None:
        st.info(NO_DATA_MESSAGE, icon=":material/hourglass_empty:")
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
    default_dates: tuple[dt.date, dt.date],
    first: dt.date,
    last: dt.date,
    models: tuple[str, ...],
    channels: list[str],
) -> None:
    """Put the filters' values in Session State (defaults first time, kept across pages).

    Widget state is dropped when its page is left; re-assigning it keeps the user's filters
    when they switch pages. Values a new snapshot no longer covers fall back to defaults.
    """
    state = st.session_state
    dates = state.get(DATES_KEY)
    if not isinstance(dates, tuple | list) or not all(first <= d <= last for d in dates):
        dates = default_dates
    state[DATES_KEY] = tuple(dates)
    model = state.get(MODEL_KEY)
    state[MODEL_KEY] = model if model in models else models[0]
    state[CHANNELS_KEY] = [c for c in state.get(CHANNELS_KEY) or [] if c in channels]


def sidebar_filters(snapshot: data.Snapshot, *, model_picker: bool = True) -> Filters:
    """Date range (default: the last 30 days of data), attribution model, channels, and the
    "Data as of …" note, all in the sidebar.

    ``model_picker=False`` leaves the model out (a page that shows every model); the model
    picked on other pages is kept for them and still returned.
    """
    meta = data.publish_meta(snapshot)
    bounds = data.date_bounds(snapshot)
    if bounds is None:
        st.info(EMPTY_SNAPSHOT_MESSAGE, icon=":material/hourglass_empty:")
        st.stop()
    first, last = bounds
    default = (max(first, last - dt.timedelta(days=DEFAULT_DAYS - 1)), last)
    all_channels = data.channels(snapshot)
    _seed_state(default, first, last, meta.attribution_models, all_channels)

    with st.sidebar:
        picked = st.date_input(
            "Date range",
            min_value=first,
            max_value=last,
            format="YYYY-MM-DD",
            key=DATES_KEY,
            help=f"Data covers {first:%Y-%m-%d} … {last:%Y-%m-%d}. "
            "Leads, won deals and revenue are dated by the deal's creation.",
        )
        start, end = _date_range(picked, default)
        model = st.session_state[MODEL_KEY]  # kept for the other pages when not shown here
        if model_picker:
            model = st.selectbox(
                "Attribution model",
                options=list(meta.attribution_models),
                format_func=model_label,
                key=MODEL_KEY,
                help="How a deal's lead, sale and revenue are credited to the channels on its "
                "path.",
            )
        chosen = st.multiselect(
            "Channels",
            options=all_channels,
            placeholder="All channels",
            key=CHANNELS_KEY,
        )
        local = meta.published_at_local()
        st.caption(
            f"Data as of {local:%Y-%m-%d %H:%M} {local.tzname()} ({meta.reporting_timezone})  \n"
            f"Money in {meta.reporting_currency}"
            + (f" · sources: {', '.join(meta.sources)}" if meta.sources else "")
        )
    return Filters(
        start=start,
        end=end,
        model=model or meta.default_model,
        channels=tuple(chosen),
        currency=meta.reporting_currency,
    )
