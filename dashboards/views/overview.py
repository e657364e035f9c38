"""Overview: the morning look. Eight KPIs against the previous period, the trend, and the
channels that pay back best and worst."""

import streamlit as st

from dashboards import charts, data, filters, kpis, metrics, periods, tables
from dashboards.i18n import date, labeller, language, money_column, t

LABELS = {
    "cost": "col.cost",
    "leads": "col.leads",
    "deals_won": "col.won",
    "revenue": "col.revenue",
    "roi": "col.roi",
    "romi": "col.romi",
    "cac": "col.cac",
    "drr": "col.drr",
}
HELP = {"roi": "help.roi", "romi": "help.romi", "cac": "help.cac", "drr": "help.drr"}

st.title(t("page.overview"))
snapshot = filters.snapshot_or_stop()
f = filters.sidebar_filters(snapshot)
cur, lang = f.currency, language()
first_day, _ = data.date_bounds(snapshot)
st.caption(filters.caption(f))


def _totals(start, end) -> dict[str, float | None]:
    total = data.channel_performance(snapshot, start, end, f.model, f.channels, level="total")
    return kpis.kpi_values(metrics.totals(total, data.MEASURES))


# --- KPIs against the previous period of equal length -------------------------------------------
prev_start, prev_end = periods.previous_period(f.start, f.end)
has_previous = prev_start >= first_day  # a partly covered period would fake a change
current = _totals(f.start, f.end)
previous = _totals(prev_start, prev_end) if has_previous else {}
pp = t("chart.pp")
prev_note = t("ov.kpi_help_prev", start=date(prev_start), end=date(prev_end))
tiles = [*st.columns(4), *st.columns(4)]  # two rows; on a phone they stack in KPI order
for tile, kpi in zip(tiles, kpis.KPIS, strict=True):
    change = kpis.change(kpi, current[kpi.key], previous.get(kpi.key))
    defined = change is not None and change != 0
    tile.metric(
        t(LABELS[kpi.key], cur=cur),
        kpis.fmt_value(kpi, current[kpi.key], lang),
        delta=kpis.fmt_change(kpi, change, lang, pp) if has_previous else metrics.EMPTY,
        delta_color=kpis.DELTA_COLOR[kpi.better] if defined else "off",
        delta_arrow="auto" if defined else "off",
        help=f"{t(HELP[kpi.key])}. {prev_note}" if kpi.key in HELP else prev_note,
        border=True,
    )
if has_previous:
    st.caption(t("ov.vs_previous", start=date(prev_start), end=date(prev_end)))
else:
    st.caption(
        t("ov.no_previous", start=date(prev_start), end=date(prev_end), first=date(first_day))
    )

# --- trend --------------------------------------------------------------------------------------
head, picker = st.columns([3, 1], vertical_alignment="bottom")
head.subheader(t("ov.trend"))
grain = picker.segmented_control(
    t("ov.grain"),
    options=["day", "week"],
    format_func=labeller("ov.grain"),
    default="day",
    required=True,
    key="ov_grain",
)
trend = data.trend(snapshot, f.start, f.end, f.model, f.channels, grain=grain)
st.plotly_chart(charts.trend_lines(trend, cur, grain, lang), key="ov_trend")
if grain == "week":
    st.caption(t("ov.week_note"))

# --- top and bottom channels --------------------------------------------------------------------
st.subheader(t("ov.channels"))
st.caption(t("ov.ranking_note"))
by_channel = metrics.with_ratios(
    data.channel_performance(snapshot, f.start, f.end, f.model, f.channels)
)
top, bottom = kpis.rank_channels(by_channel)
money = money_column()
columns = {
    "channel": st.column_config.TextColumn(t("col.channel"), pinned=True),
    "cost": st.column_config.NumberColumn(t("col.cost", cur=cur), **money),
    "revenue": st.column_config.NumberColumn(t("col.revenue", cur=cur), **money),
    "roi": st.column_config.NumberColumn(t("col.roi"), help=t("help.roi"), format="percent"),
    "drr": st.column_config.NumberColumn(t("col.drr"), help=t("help.drr"), format="percent"),
}
stem = f"{f.model}_{f.start:%Y%m%d}_{f.end:%Y%m%d}"
left, right = st.columns(2)
with left:
    st.markdown(f"**{t('ov.top')}**")
    tables.table_with_download(top, columns, key="ov_top", file_stem=f"top_channels_{stem}")
with right:
    st.markdown(f"**{t('ov.bottom')}**")
    if bottom.empty:
        st.caption(t("ov.no_bottom"))
    else:
        tables.table_with_download(
            bottom, columns, key="ov_bottom", file_stem=f"bottom_channels_{stem}"
        )
unranked = kpis.unranked_channels(by_channel)
if len(unranked):
    st.caption(
        t(
            "ov.unranked",
            channels=", ".join(
                f"{name} {metrics.fmt_money(value, cur, lang=lang)}"
                for name, value in zip(unranked["channel"], unranked["revenue"], strict=True)
            ),
        )
    )
