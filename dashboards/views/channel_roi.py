"""Channel ROI: what each channel cost and what it brought, under one attribution model."""

import streamlit as st

from dashboards import charts, data, filters, metrics, tables
from dashboards.i18n import kpi, labeller, language, money, money_column, pct, t

LEVELS = ("channel", "source", "campaign")

st.title(t("page.channel_roi"))
snapshot = filters.snapshot_or_stop()
f = filters.sidebar_filters(snapshot)
cur, lang = f.currency, language()
st.caption(filters.caption(f))

by_channel = metrics.with_ratios(
    data.channel_performance(snapshot, f.start, f.end, f.model, f.channels, level="channel")
)
total = metrics.totals(by_channel, data.MEASURES)

# --- KPIs -----------------------------------------------------------------------------------
kpis = st.columns(5)
kpis[0].metric(
    t("col.cost", cur=cur),
    kpi(total["cost"]),
    help=money(total["cost"], cur, 2),
    border=True,
)
kpis[1].metric(t("col.leads"), kpi(total["leads"]), border=True)
kpis[2].metric(t("col.won"), kpi(total["deals_won"]), border=True)
kpis[3].metric(
    t("col.revenue", cur=cur),
    kpi(total["revenue"]),
    help=money(total["revenue"], cur, 2),
    border=True,
)
kpis[4].metric(
    t("col.roi"),
    pct(metrics.roi(total["revenue"], total["cost"])),
    help=t("roi.help_roi"),
    border=True,
)
unattributed = by_channel[by_channel["channel"] == data.UNATTRIBUTED]
if len(unattributed):
    st.caption(
        t(
            "roi.unattributed",
            channel=data.UNATTRIBUTED,
            leads=pct(metrics.ratio(unattributed["leads"].sum(), total["leads"])),
            revenue=pct(metrics.ratio(unattributed["revenue"].sum(), total["revenue"])),
        )
    )

# --- charts -----------------------------------------------------------------------------------
colors = charts.channel_colors(data.channels(snapshot))
left, right = st.columns(2)
left.plotly_chart(
    charts.cost_revenue_scatter(by_channel, cur, colors, lang=lang), key="roi_scatter"
)
right.plotly_chart(charts.cost_revenue_bars(by_channel, cur, lang=lang), key="roi_bars")

# --- table ------------------------------------------------------------------------------------
st.subheader(t("roi.by_channel"))
level = st.radio(
    t("roi.breakdown"),
    options=list(LEVELS),
    format_func=labeller("roi.level"),
    horizontal=True,
    key="roi_level",
    help=t("roi.breakdown_help"),
)
table = (
    by_channel
    if level == "channel"
    else metrics.with_ratios(
        data.channel_performance(snapshot, f.start, f.end, f.model, f.channels, level=level)
    )
)
money_format = money_column()
columns = {
    "channel": st.column_config.TextColumn(t("col.channel"), pinned=True),
    "source_system": st.column_config.TextColumn(t("col.source")),
    "campaign_id": st.column_config.TextColumn(t("col.campaign_id")),
    "campaign_name": st.column_config.TextColumn(t("col.campaign")),
    "cost": st.column_config.NumberColumn(t("col.cost", cur=cur), **money_format),
    "visits": st.column_config.NumberColumn(t("col.visits"), format="localized"),
    "leads": st.column_config.NumberColumn(t("col.leads"), format="localized"),
    "deals_won": st.column_config.NumberColumn(t("col.won"), format="localized"),
    "revenue": st.column_config.NumberColumn(t("col.revenue", cur=cur), **money_format),
    "cpl": st.column_config.NumberColumn(t("col.cpl", cur=cur), help=t("help.cpl"), **money_format),
    "cac": st.column_config.NumberColumn(t("col.cac", cur=cur), help=t("help.cac"), **money_format),
    "roi": st.column_config.NumberColumn(t("col.roi"), help=t("help.roi"), format="percent"),
    "romi": st.column_config.NumberColumn(t("col.romi"), help=t("help.romi"), format="percent"),
    "drr": st.column_config.NumberColumn(t("col.drr"), help=t("help.drr"), format="percent"),
}
tables.table_with_download(
    table,
    columns,
    key="roi_table",
    file_stem=f"channel_roi_{f.model}_{f.start:%Y%m%d}_{f.end:%Y%m%d}_{level}",
    column_order=[c for c in columns if c in table.columns],
)
