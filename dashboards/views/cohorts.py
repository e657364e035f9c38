"""Cohorts & LTV: customers by the month of their first purchase and its first-touch channel,
what they bring month after month, and what acquiring them cost."""

import streamlit as st

from dashboards import charts_cohorts, data, data_cohorts, filters, metrics, tables
from dashboards.i18n import date, kpi, labeller, language, money, money_column, month, pct, t

st.title(t("cohorts.title"))
snapshot = filters.snapshot_or_stop()
f = filters.sidebar_filters(snapshot, model_picker=False)
if not data_cohorts.has_cohorts(snapshot):
    st.info(t("cohorts.newer_snapshot"), icon=":material/update:")
    st.stop()

cur, lang = f.currency, language()
first_month, last_month = data.month_span(f.start, f.end)
months = (
    month(first_month)
    if first_month == last_month
    else f"{month(first_month)} … {month(last_month)}"
)
as_of = data_cohorts.as_of_date(snapshot)
st.caption(
    t(
        "cohorts.caption",
        months=months,
        start=date(f.start),
        end=date(f.end),
        channels=", ".join(f.channels) if f.channels else t("filter.all_channels_lower"),
        as_of=date(as_of) if as_of else metrics.EMPTY,
    )
)

economics = data_cohorts.cohort_economics(snapshot, first_month, last_month, f.channels)
grid = data_cohorts.cohort_grid(snapshot, first_month, last_month, f.channels)
totals = data_cohorts.cohort_totals(economics)
if not totals["customers"]:
    st.info(t("cohorts.no_customers", months=months), icon=":material/info:")

# --- KPIs -----------------------------------------------------------------------------------
tiles = st.columns(5)
tiles[0].metric(t("cohorts.kpi_customers"), kpi(totals["customers"]), border=True)
tiles[1].metric(
    t("cohorts.kpi_revenue", cur=cur),
    kpi(totals["revenue_to_date"]),
    help=money(totals["revenue_to_date"], cur, 2),
    border=True,
)
tiles[2].metric(
    t("cohorts.kpi_ltv", cur=cur),
    kpi(totals["ltv_to_date"]),
    help=t("cohorts.help_ltv"),
    border=True,
)
tiles[3].metric(
    t("cohorts.kpi_cac", cur=cur), kpi(totals["paid_cac"]), help=t("cohorts.help_cac"), border=True
)
tiles[4].metric(
    t("cohorts.kpi_ltv_cac"),
    data_cohorts.fmt_multiple(totals["paid_ltv_to_cac"], lang),
    help=t("cohorts.help_ltv_cac"),
    border=True,
)
unattributed = economics.loc[economics["channel"] == data.UNATTRIBUTED, "customers"].sum()
if unattributed and totals["customers"]:
    st.caption(
        t(
            "cohorts.unattributed",
            share=pct(metrics.ratio(unattributed, totals["customers"])),
            channel=data.UNATTRIBUTED,
        )
    )

# --- heatmap --------------------------------------------------------------------------------
head, picker = st.columns([2, 3], vertical_alignment="bottom")
head.subheader(t("cohorts.heatmap"))
metric = picker.segmented_control(
    t("cohorts.metric"),
    options=list(data_cohorts.METRICS),
    format_func=labeller("cohorts.metric"),
    default="customers",
    required=True,
    key="cohorts_metric",
    help=t("cohorts.metric_help"),
)
st.plotly_chart(charts_cohorts.cohort_heatmap(grid, metric, cur, lang), key="cohorts_heatmap")
st.caption(t("cohorts.heatmap_note", as_of=date(as_of) if as_of else metrics.EMPTY))
st.plotly_chart(
    charts_cohorts.ltv_curves(grid, totals["paid_cac"], cur, lang), key="cohorts_curves"
)

# --- CAC, payback and LTV/CAC per cohort × channel -------------------------------------------
st.subheader(t("cohorts.economics"))
st.caption(t("cohorts.economics_note"))
money_format = money_column()
columns = {
    "acquisition_month": st.column_config.DateColumn(
        t("cohorts.col_month"), format="YYYY-MM", pinned=True
    ),
    "channel": st.column_config.TextColumn(t("cohorts.col_channel")),
    "customers": st.column_config.NumberColumn(t("cohorts.col_customers"), format="localized"),
    "cost": st.column_config.NumberColumn(t("cohorts.col_cost", cur=cur), **money_format),
    "cac": st.column_config.NumberColumn(
        t("cohorts.col_cac", cur=cur), help=t("cohorts.help_col_cac"), **money_format
    ),
    "revenue_to_date": st.column_config.NumberColumn(
        t("cohorts.col_revenue", cur=cur), **money_format
    ),
    "ltv_to_date": st.column_config.NumberColumn(
        t("cohorts.col_ltv", cur=cur), help=t("cohorts.help_col_ltv"), **money_format
    ),
    "ltv_to_cac": st.column_config.NumberColumn(
        t("cohorts.col_ltv_cac"), help=t("cohorts.help_col_ltv_cac"), format="%.2f"
    ),
    "payback_month": st.column_config.NumberColumn(
        t("cohorts.col_payback"), help=t("cohorts.help_col_payback"), format="%d"
    ),
    "months_observed": st.column_config.NumberColumn(
        t("cohorts.col_observed"), help=t("cohorts.help_col_observed"), format="%d"
    ),
}
tables.table_with_download(
    economics,
    columns,
    key="cohorts_table",
    file_stem=f"cohorts_{first_month:%Y%m}_{last_month:%Y%m}",
)
