"""Funnel: visits → lead → each CRM stage → won per channel, where it leaks, and how each step's
conversion moved against the previous period of equal length."""

import re

import streamlit as st

from dashboards import charts_funnel, data, data_funnel, filters, kpis, metrics, periods, tables
from dashboards.i18n import date, kpi, language, pct, t

TILES = (  # key, label, how it is written, which way is good news
    (kpis.Kpi("visits", "count", "up"), "col.visits"),
    (kpis.Kpi("leads", "count", "up"), "col.leads"),
    (kpis.Kpi("deals_won", "count", "up"), "col.won"),
    (kpis.Kpi("cr_visit_lead", "ratio", "up"), "col.cr_visit_lead"),
    (kpis.Kpi("cr_lead_won", "ratio", "up"), "col.cr_lead_won"),
)

st.title(t("page.funnel"))
snapshot = filters.snapshot_or_stop()
f = filters.sidebar_filters(snapshot)
lang = language()
first_day, _ = data.date_bounds(snapshot)
st.caption(filters.caption(f))

prev_start, prev_end = periods.previous_period(f.start, f.end)
has_previous = prev_start >= first_day  # a partly covered period would fake a change


def _headline(start, end) -> dict[str, float | None]:
    by_channel = data.funnel(snapshot, start, end, f.model, f.channels)
    total = metrics.totals(by_channel, data.FUNNEL_MEASURES)
    return {
        **total,
        "cr_visit_lead": metrics.cr_visit_lead(total["leads"], total["visits"]),
        "cr_lead_won": metrics.cr_lead_won(total["deals_won"], total["leads"]),
    }


def _keep_if_offered(key: str, options: list[str]) -> None:
    """A picker's value that the filters no longer offer falls back to the first option."""
    if st.session_state.get(key, options[0]) not in options:
        st.session_state[key] = options[0]


# --- KPIs against the previous period -----------------------------------------------------------
current = _headline(f.start, f.end)
previous = _headline(prev_start, prev_end) if has_previous else {}
prev_note = t("funnel.kpi_help_prev", start=date(prev_start), end=date(prev_end))
for tile, (item, label) in zip(st.columns(5), TILES, strict=True):
    value = current[item.key]
    shown = pct(value, decimals=2 if item.key == "cr_visit_lead" else 1)
    change = kpis.change(item, value, previous.get(item.key))
    defined = change is not None and change != 0
    tile.metric(
        t(label),
        shown if item.kind == "ratio" else kpi(value),
        delta=kpis.fmt_change(item, change, lang, t("chart.pp")) if has_previous else metrics.EMPTY,
        delta_color="normal" if defined else "off",
        delta_arrow="auto" if defined else "off",
        help=prev_note,
        border=True,
    )
if has_previous:
    st.caption(t("funnel.vs_previous", start=date(prev_start), end=date(prev_end)))
else:
    st.caption(
        t("funnel.no_previous", start=date(prev_start), end=date(prev_end), first=date(first_day))
    )

# --- the stage funnel ---------------------------------------------------------------------------
st.subheader(t("funnel.stages"))
if not data.has_table(snapshot, data_funnel.STAGES_TABLE):
    st.info(t("funnel.newer_snapshot"), icon=":material/update:")
    st.stop()

# labels bound now: format_func may be called after the run, in another language context
all_pipelines, all_channels = t("funnel.all_pipelines"), t("funnel.all_channels")
pick_pipeline, pick_channel, pick_visits = st.columns([2, 2, 1], vertical_alignment="bottom")
pipelines = data_funnel.pipelines(snapshot, f.start, f.end, f.model, f.channels)
_keep_if_offered("funnel_pipeline", [data_funnel.ALL, *pipelines])
pipeline = pick_pipeline.selectbox(
    t("funnel.pipeline"),
    options=[data_funnel.ALL, *pipelines],
    format_func=lambda p: all_pipelines if p == data_funnel.ALL else p,
    help=t("funnel.pipeline_help"),
    key="funnel_pipeline",
)
chosen_pipeline = None if pipeline == data_funnel.ALL else pipeline


def _period(start, end):
    visits = data.funnel(snapshot, start, end, f.model, f.channels)[["channel", "visits"]]
    stages = data_funnel.stage_counts(snapshot, start, end, f.model, f.channels, chosen_pipeline)
    return visits, stages


visits, stages = _period(f.start, f.end)
total_label = t("funnel.total")
table = data_funnel.funnel_table(
    visits, stages, total_label, _period(prev_start, prev_end) if has_previous else None
)
if table.empty:
    st.info(t("funnel.no_leads"), icon=":material/filter_alt_off:")
    st.stop()

channels = [c for c in dict.fromkeys(table["channel"]) if c != total_label]
_keep_if_offered("funnel_channel", [data_funnel.ALL, *channels])
channel = pick_channel.selectbox(
    t("funnel.channel"),
    options=[data_funnel.ALL, *channels],
    format_func=lambda c: all_channels if c == data_funnel.ALL else c,
    key="funnel_channel",
)
with_visits = pick_visits.toggle(
    t("funnel.with_visits"), value=False, help=t("funnel.with_visits_help"), key="funnel_visits"
)

notes = [t("funnel.reach_note"), t("funnel.young_deals")]
if chosen_pipeline is not None:
    notes.append(t("funnel.one_pipeline", pipeline=chosen_pipeline))
no_history = data_funnel.without_history_share(stages)
if no_history:
    notes.append(t("funnel.no_history", share=pct(no_history)))
st.caption(" ".join(notes))

name = total_label if channel == data_funnel.ALL else channel
shown = data_funnel.one_channel(table, name)
title = all_channels if channel == data_funnel.ALL else channel
left, right = st.columns(2)
left.plotly_chart(
    charts_funnel.stage_funnel(shown, title, lang, include_visits=with_visits),
    key="funnel_stages_chart",
)
right.plotly_chart(
    charts_funnel.conversion_change_bars(shown, title, lang), key="funnel_conversion_chart"
)

# --- table --------------------------------------------------------------------------------------
st.subheader(t("funnel.table"))
table.insert(2, "step_name", charts_funnel.step_labels(table, lang))
share = {"format": "percent"}
count = {"format": "localized"}
columns = {
    "channel": st.column_config.TextColumn(t("col.channel"), pinned=True),
    "step_name": st.column_config.TextColumn(t("funnel.col.stage"), pinned=True),
    "deals": st.column_config.NumberColumn(t("funnel.col.deals"), **count),
    "conversion": st.column_config.NumberColumn(
        t("funnel.col.conversion"), help=t("funnel.help.conversion"), **share
    ),
    "drop_off": st.column_config.NumberColumn(
        t("funnel.col.drop_off"), help=t("funnel.help.drop_off"), **count
    ),
    "drop_off_share": st.column_config.NumberColumn(
        t("funnel.col.drop_off_share"), help=t("funnel.help.drop_off_share"), **share
    ),
    "conversion_prev": st.column_config.NumberColumn(t("funnel.col.conversion_prev"), **share),
    "change_pp": st.column_config.NumberColumn(
        t("funnel.col.change_pp"), help=t("funnel.help.change_pp"), format="%+.1f"
    ),
}
pipeline_stem = "all" if chosen_pipeline is None else re.sub(r"[^\w-]+", "_", chosen_pipeline)
tables.table_with_download(
    table,
    columns,
    key="funnel_table",
    file_stem=f"funnel_{f.model}_{pipeline_stem}_{f.start:%Y%m%d}_{f.end:%Y%m%d}",
)
