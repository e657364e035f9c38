"""Funnel: visits → leads → won per channel, and where it leaks."""

import streamlit as st

from dashboards import charts, data, filters, metrics, tables

st.title("Funnel")
snapshot = filters.snapshot_or_stop()
f = filters.sidebar_filters(snapshot)
st.caption(
    f"{f.start:%Y-%m-%d} … {f.end:%Y-%m-%d} · {filters.model_label(f.model)} attribution · "
    f"{', '.join(f.channels) if f.channels else 'all channels'}"
)

by_channel = metrics.with_funnel_rates(data.funnel(snapshot, f.start, f.end, f.model, f.channels))
total = metrics.totals(by_channel, data.FUNNEL_MEASURES)

# --- KPIs -----------------------------------------------------------------------------------
kpis = st.columns(5)
kpis[0].metric("Visits", metrics.fmt_kpi(total["visits"]), border=True)
kpis[1].metric("Leads", metrics.fmt_kpi(total["leads"]), border=True)
kpis[2].metric("Won", metrics.fmt_kpi(total["deals_won"]), border=True)
kpis[3].metric(
    "CR visit → lead",
    metrics.fmt_pct(metrics.cr_visit_lead(total["leads"], total["visits"]), decimals=2),
    border=True,
)
kpis[4].metric(
    "CR lead → won",
    metrics.fmt_pct(metrics.cr_lead_won(total["deals_won"], total["leads"])),
    border=True,
)

# --- charts -----------------------------------------------------------------------------------
left, right = st.columns(2)
left.plotly_chart(charts.funnel_chart(by_channel), key="funnel_chart")
right.plotly_chart(charts.conversion_bars(by_channel), key="funnel_conversion")

# --- table ------------------------------------------------------------------------------------
st.subheader("Conversion and drop-off by channel")
count = {"format": "localized"}
share = {"format": "percent"}
columns = {
    "channel": st.column_config.TextColumn("Channel", pinned=True),
    "visits": st.column_config.NumberColumn("Visits", **count),
    "leads": st.column_config.NumberColumn("Leads", **count),
    "deals_won": st.column_config.NumberColumn("Won", **count),
    "cr_visit_lead": st.column_config.NumberColumn("CR visit → lead", **share),
    "cr_lead_won": st.column_config.NumberColumn("CR lead → won", **share),
    "drop_visit_lead": st.column_config.NumberColumn(
        "Lost visit → lead", help="visits − leads", **count
    ),
    "drop_visit_lead_share": st.column_config.NumberColumn(
        "Lost visit → lead, %", help="1 − CR visit → lead", **share
    ),
    "drop_lead_won": st.column_config.NumberColumn("Lost lead → won", help="leads − won", **count),
    "drop_lead_won_share": st.column_config.NumberColumn(
        "Lost lead → won, %", help="1 − CR lead → won", **share
    ),
    "revenue": st.column_config.NumberColumn(f"Revenue, {f.currency}", format="%,.0f"),
}
tables.table_with_download(
    by_channel,
    columns,
    key="funnel_table",
    file_stem=f"funnel_{f.model}_{f.start:%Y%m%d}_{f.end:%Y%m%d}",
)
