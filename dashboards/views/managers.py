"""Managers: the deals each manager got in the period, how many they won, the revenue and how
long deals took to close; then the open deals that have waited too long."""

import streamlit as st

from dashboards import charts_managers, data_managers, filters, formats, tables
from dashboards.i18n import count, date, kpi, language, money, money_column, pct, t

st.title(t("managers.title"))
snapshot = filters.snapshot_or_stop()
f = filters.sidebar_filters(snapshot, model_picker=False)
if not data_managers.has_tables(snapshot):
    st.info(t("managers.newer_snapshot"), icon=":material/update:")
    st.stop()
cur, lang = f.currency, language()
st.caption(t("managers.caption", start=date(f.start), end=date(f.end)))

by_manager = data_managers.with_rates(data_managers.by_manager(snapshot, f.start, f.end))
total = data_managers.totals(by_manager)

# --- KPIs -----------------------------------------------------------------------------------
tiles = st.columns(5)
tiles[0].metric(t("managers.col.deals"), count(total["deals_created"]), border=True)
tiles[1].metric(t("col.won"), count(total["deals_won"]), border=True)
tiles[2].metric(
    t("managers.col.win_rate"),
    pct(total["win_rate"]),
    help=t("managers.help.win_rate"),
    border=True,
)
tiles[3].metric(
    t("col.revenue", cur=cur),
    kpi(total["revenue"]),
    help=money(total["revenue"], cur, 2),
    border=True,
)
tiles[4].metric(
    t("managers.col.avg_cycle_days"),
    count(None if total["avg_cycle_days"] is None else round(total["avg_cycle_days"], 1)),
    help=t("managers.help.avg_cycle_days"),
    border=True,
)

# --- chart and table --------------------------------------------------------------------------
st.plotly_chart(charts_managers.deal_outcome_bars(by_manager, lang), key="managers_bars")
st.subheader(t("managers.by_manager"))
table = by_manager.assign(avg_cycle_days=by_manager["avg_cycle_days"].round(1))
money_format = money_column()
columns = {
    "manager": st.column_config.TextColumn(t("managers.col.manager"), pinned=True),
    "deals_created": st.column_config.NumberColumn(t("managers.col.deals"), format="localized"),
    "deals_won": st.column_config.NumberColumn(t("col.won"), format="localized"),
    "deals_lost": st.column_config.NumberColumn(t("managers.col.lost"), format="localized"),
    "deals_open": st.column_config.NumberColumn(t("managers.col.open"), format="localized"),
    "win_rate": st.column_config.NumberColumn(
        t("managers.col.win_rate"), help=t("managers.help.win_rate"), format="percent"
    ),
    "revenue": st.column_config.NumberColumn(t("col.revenue", cur=cur), **money_format),
    "avg_cycle_days": st.column_config.NumberColumn(
        t("managers.col.avg_cycle_days"),
        help=t("managers.help.avg_cycle_days"),
        format="localized",
    ),
}
if table.empty:
    st.caption(t("managers.no_deals"))
tables.table_with_download(
    table,
    columns,
    key="managers_table",
    file_stem=f"managers_{f.start:%Y%m%d}_{f.end:%Y%m%d}",
)

# --- open deals older than N days -------------------------------------------------------------
st.subheader(t("managers.open_title"))
older_than = st.number_input(
    t("managers.older_than"),
    min_value=0,
    max_value=3650,
    value=data_managers.DEFAULT_OLDER_THAN_DAYS,
    step=1,
    key="managers_older_than",
    help=t("managers.older_than_help"),
)
as_of = data_managers.open_deals_as_of(snapshot)
stale = data_managers.open_deals(snapshot, older_than)
if as_of is None:
    st.caption(t("managers.no_open"))
else:
    st.caption(
        t(
            "managers.open_caption",
            n=count(len(stale)),
            days=count(older_than),
            as_of=date(as_of),
            amount=money(stale["amount"].sum(min_count=1), cur),
        )
    )
open_columns = {
    "manager": st.column_config.TextColumn(t("managers.col.manager"), pinned=True),
    "source_system": st.column_config.TextColumn(t("col.source")),
    "deal_id": st.column_config.TextColumn(t("managers.col.deal_id")),
    "pipeline": st.column_config.TextColumn(t("managers.col.pipeline")),
    "stage": st.column_config.TextColumn(t("managers.col.stage")),
    "created_date": st.column_config.DateColumn(
        t("managers.col.created"), format=formats.date_input_format(lang)
    ),
    "age_days": st.column_config.NumberColumn(t("managers.col.age_days"), format="localized"),
    "amount": st.column_config.NumberColumn(t("managers.col.amount", cur=cur), **money_format),
}
tables.table_with_download(
    stale,
    open_columns,
    key="managers_open",
    file_stem=f"open_deals_older_than_{older_than}_days",
)
