"""Channel ROI: what each channel cost and what it brought, under one attribution model."""

import streamlit as st

from dashboards import charts, data, filters, metrics, tables

LEVELS = {
    "channel": "Channel",
    "source": "Channel › source",
    "campaign": "Channel › source › campaign",
}

st.title("Channel ROI")
snapshot = filters.snapshot_or_stop()
f = filters.sidebar_filters(snapshot)
cur = f.currency
st.caption(
    f"{f.start:%Y-%m-%d} … {f.end:%Y-%m-%d} · {filters.model_label(f.model)} attribution · "
    f"{', '.join(f.channels) if f.channels else 'all channels'}"
)

by_channel = metrics.with_ratios(
    data.channel_performance(snapshot, f.start, f.end, f.model, f.channels, level="channel")
)
total = metrics.totals(by_channel, data.MEASURES)

# --- KPIs -----------------------------------------------------------------------------------
kpis = st.columns(5)
kpis[0].metric(
    f"Cost, {cur}",
    metrics.fmt_kpi(total["cost"]),
    help=metrics.fmt_money(total["cost"], cur, 2),
    border=True,
)
kpis[1].metric("Leads", metrics.fmt_kpi(total["leads"]), border=True)
kpis[2].metric("Won", metrics.fmt_kpi(total["deals_won"]), border=True)
kpis[3].metric(
    f"Revenue, {cur}",
    metrics.fmt_kpi(total["revenue"]),
    help=metrics.fmt_money(total["revenue"], cur, 2),
    border=True,
)
kpis[4].metric(
    "ROI",
    metrics.fmt_pct(metrics.roi(total["revenue"], total["cost"])),
    help="(revenue − cost) / cost; — when there was no cost.",
    border=True,
)
unattributed = by_channel[by_channel["channel"] == data.UNATTRIBUTED]
if len(unattributed):
    st.caption(
        f"Unattributed (channel `{data.UNATTRIBUTED}`, no visit could be tied to the deal): "
        f"{metrics.fmt_pct(metrics.ratio(unattributed['leads'].sum(), total['leads']))} of leads, "
        f"{metrics.fmt_pct(metrics.ratio(unattributed['revenue'].sum(), total['revenue']))} "
        "of revenue."
    )

# --- charts -----------------------------------------------------------------------------------
colors = charts.channel_colors(data.channels(snapshot))
left, right = st.columns(2)
left.plotly_chart(charts.cost_revenue_scatter(by_channel, cur, colors), key="roi_scatter")
right.plotly_chart(charts.cost_revenue_bars(by_channel, cur), key="roi_bars")

# --- table ------------------------------------------------------------------------------------
st.subheader("By channel")
level = st.radio(
    "Breakdown",
    options=list(LEVELS),
    format_func=LEVELS.get,
    horizontal=True,
    key="roi_level",
    help="Drill down from channels to their sources and campaigns "
    "(pick channels in the sidebar to narrow the list).",
)
table = (
    by_channel
    if level == "channel"
    else metrics.with_ratios(
        data.channel_performance(snapshot, f.start, f.end, f.model, f.channels, level=level)
    )
)
money = {"format": "%,.0f"}
columns = {
    "channel": st.column_config.TextColumn("Channel", pinned=True),
    "source_system": st.column_config.TextColumn("Source"),
    "campaign_id": st.column_config.TextColumn("Campaign ID"),
    "campaign_name": st.column_config.TextColumn("Campaign"),
    "cost": st.column_config.NumberColumn(f"Cost, {cur}", **money),
    "visits": st.column_config.NumberColumn("Visits", format="localized"),
    "leads": st.column_config.NumberColumn("Leads", format="localized"),
    "deals_won": st.column_config.NumberColumn("Won", format="localized"),
    "revenue": st.column_config.NumberColumn(f"Revenue, {cur}", **money),
    "cpl": st.column_config.NumberColumn(f"CPL, {cur}", help="cost / leads", **money),
    "cac": st.column_config.NumberColumn(f"CAC, {cur}", help="cost / won", **money),
    "roi": st.column_config.NumberColumn("ROI", help="(revenue − cost) / cost", format="percent"),
    "romi": st.column_config.NumberColumn(
        "ROMI", help="(revenue − cost of goods − cost) / cost", format="percent"
    ),
}
tables.table_with_download(
    table,
    columns,
    key="roi_table",
    file_stem=f"channel_roi_{f.model}_{f.start:%Y%m%d}_{f.end:%Y%m%d}_{level}",
    column_order=[c for c in columns if c in table.columns],
)
