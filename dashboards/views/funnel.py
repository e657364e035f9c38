"""Funnel: visits → leads → won per channel, and where it leaks."""

import streamlit as st

from dashboards import charts, data, filters, metrics, tables
from dashboards.i18n import kpi, language, money_column, pct, t

st.title(t("page.funnel"))
snapshot = filters.snapshot_or_stop()
f = filters.sidebar_filters(snapshot)
lang = language()
st.caption(filters.caption(f))

by_channel = metrics.with_funnel_rates(data.funnel(snapshot, f.start, f.end, f.model, f.channels))
total = metrics.totals(by_channel, data.FUNNEL_MEASURES)

# --- KPIs -----------------------------------------------------------------------------------
kpis = st.columns(5)
kpis[0].metric(t("col.visits"), kpi(total["visits"]), border=True)
kpis[1].metric(t("col.leads"), kpi(total["leads"]), border=True)
kpis[2].metric(t("col.won"), kpi(total["deals_won"]), border=True)
kpis[3].metric(
    t("col.cr_visit_lead"),
    pct(metrics.cr_visit_lead(total["leads"], total["visits"]), decimals=2),
    border=True,
)
kpis[4].metric(
    t("col.cr_lead_won"),
    pct(metrics.cr_lead_won(total["deals_won"], total["leads"])),
    border=True,
)

# --- charts -----------------------------------------------------------------------------------
left, right = st.columns(2)
left.plotly_chart(charts.funnel_chart(by_channel, lang), key="funnel_chart")
right.plotly_chart(charts.conversion_bars(by_channel, lang), key="funnel_conversion")

# --- table ------------------------------------------------------------------------------------
st.subheader(t("funnel.table"))
count = {"format": "localized"}
share = {"format": "percent"}
columns = {
    "channel": st.column_config.TextColumn(t("col.channel"), pinned=True),
    "visits": st.column_config.NumberColumn(t("col.visits"), **count),
    "leads": st.column_config.NumberColumn(t("col.leads"), **count),
    "deals_won": st.column_config.NumberColumn(t("col.won"), **count),
    "cr_visit_lead": st.column_config.NumberColumn(t("col.cr_visit_lead"), **share),
    "cr_lead_won": st.column_config.NumberColumn(t("col.cr_lead_won"), **share),
    **{
        column: st.column_config.NumberColumn(
            t(f"col.{column}"),
            help=t(f"help.{column}"),
            **(share if column.endswith("_share") else count),
        )
        for column in (
            "drop_visit_lead",
            "drop_visit_lead_share",
            "drop_lead_won",
            "drop_lead_won_share",
        )
    },
    "revenue": st.column_config.NumberColumn(t("col.revenue", cur=f.currency), **money_column()),
}
tables.table_with_download(
    by_channel,
    columns,
    key="funnel_table",
    file_stem=f"funnel_{f.model}_{f.start:%Y%m%d}_{f.end:%Y%m%d}",
)
