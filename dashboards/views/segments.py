"""Segments: new / loyal / VIP / inactive customers and the RFM grid, as of the last data day,
and the customers of a segment for a campaign (hashed keys and CRM deal ids only)."""

import streamlit as st

from dashboards import charts_cohorts, data_segments, filters, metrics, tables
from dashboards.i18n import count, date, language, money, money_column, pct, t

st.title(t("segments.title"))
snapshot = filters.snapshot_or_stop()
f = filters.sidebar_filters(snapshot, model_picker=False)
if not data_segments.has_customers(snapshot):
    st.info(t("segments.newer_snapshot"), icon=":material/update:")
    st.stop()

cur, lang = f.currency, language()
as_of = data_segments.as_of_date(snapshot)
st.caption(
    t(
        "segments.caption",
        as_of=date(as_of) if as_of else metrics.EMPTY,
        channels=", ".join(f.channels) if f.channels else t("filter.all_channels_lower"),
    )
)
summary = data_segments.segment_summary(snapshot, f.channels)
labels = {s: t(f"segments.segment.{s}") for s in data_segments.SEGMENTS}

# --- one tile per segment ---------------------------------------------------------------------
for tile, row in zip(st.columns(len(summary)), summary.itertuples(), strict=True):
    tile.metric(
        labels[row.segment],
        count(row.customers),
        help=t("segments.tile_help", revenue=money(row.revenue, cur), share=pct(row.revenue_share)),
        border=True,
    )
days, share = data_segments.thresholds(snapshot)
whole = share is not None and round(share * 100, 6).is_integer()
st.caption(t("segments.rules", days=count(days), share=pct(share, decimals=0 if whole else 1)))

# --- counts and revenue per segment -----------------------------------------------------------
st.subheader(t("segments.by_segment"))
st.plotly_chart(charts_cohorts.segment_bars(summary, cur, lang), key="segments_bars")
money_format = money_column()
summary_columns = {
    "segment_label": st.column_config.TextColumn(t("segments.col_segment"), pinned=True),
    "customers": st.column_config.NumberColumn(t("segments.customers"), format="localized"),
    "customer_share": st.column_config.NumberColumn(
        t("segments.col_customer_share"), format="percent"
    ),
    "orders": st.column_config.NumberColumn(t("segments.col_orders"), format="localized"),
    "revenue": st.column_config.NumberColumn(t("segments.revenue", cur=cur), **money_format),
    "revenue_share": st.column_config.NumberColumn(
        t("segments.col_revenue_share"), format="percent"
    ),
    "aov": st.column_config.NumberColumn(t("segments.col_aov", cur=cur), **money_format),
    "orders_per_customer": st.column_config.NumberColumn(
        t("segments.col_orders_per_customer"), format="%.2f"
    ),
}
tables.table_with_download(
    summary.assign(segment_label=summary["segment"].map(labels)),
    summary_columns,
    key="segments_summary",
    file_stem=f"segments_{as_of:%Y%m%d}" if as_of else "segments",
)

# --- RFM grid -----------------------------------------------------------------------------------
st.subheader(t("segments.rfm"))
rfm = data_segments.rfm_grid(snapshot, f.channels)
st.plotly_chart(charts_cohorts.rfm_heatmap(rfm, cur, lang), key="segments_rfm")
st.caption(t("segments.rfm_note"))

# --- the customers of one segment, for a campaign ---------------------------------------------
st.subheader(t("segments.list"))
counts = dict(zip(summary["segment"], summary["customers"], strict=True))
segment = st.selectbox(
    t("segments.pick"),
    options=list(data_segments.SEGMENTS),
    format_func=lambda s: t("segments.pick_option", segment=labels[s], count=count(counts[s])),
    key="segments_pick",
)
st.caption(t("segments.list_note"))
customers = data_segments.segment_customers(snapshot, segment, f.channels)
if customers.empty:
    st.info(t("segments.empty_segment"), icon=":material/info:")
else:
    list_columns = {
        "customer_key": st.column_config.TextColumn(
            t("segments.col_customer_key"), help=t("segments.help_customer_key"), pinned=True
        ),
        "contact_key": st.column_config.TextColumn(
            t("segments.col_contact_key"), help=t("segments.help_contact_key")
        ),
        "first_deal_key": st.column_config.TextColumn(t("segments.col_first_deal")),
        "last_deal_key": st.column_config.TextColumn(t("segments.col_last_deal")),
        "deal_keys": st.column_config.TextColumn(t("segments.col_deals")),
        "first_touch_channel": st.column_config.TextColumn(t("segments.col_channel")),
        "first_order_date": st.column_config.DateColumn(t("segments.col_first_order")),
        "last_order_date": st.column_config.DateColumn(t("segments.col_last_order")),
        "orders": st.column_config.NumberColumn(t("segments.col_orders"), format="localized"),
        "revenue": st.column_config.NumberColumn(t("segments.revenue", cur=cur), **money_format),
        "aov": st.column_config.NumberColumn(t("segments.col_aov", cur=cur), **money_format),
        "recency_days": st.column_config.NumberColumn(t("segments.col_recency"), format="%d"),
        "rfm_cell": st.column_config.TextColumn(t("segments.col_rfm")),
    }
    tables.table_with_download(
        customers,
        list_columns,
        key="segments_customers",
        file_stem=f"customers_{segment}_{as_of:%Y%m%d}" if as_of else f"customers_{segment}",
    )
