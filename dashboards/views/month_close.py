"""Month close: a frozen month beside today's numbers, and which source moved them."""

import streamlit as st

from dashboards import data, data_close, filters, tables
from dashboards.i18n import t

st.title(t("close.title"))
snapshot = filters.snapshot_or_stop()
months = data_close.closed_months(snapshot)
if not months:
    st.info(t("close.none"), icon=":material/lock_clock:")
    st.stop()
month = st.selectbox(t("close.month"), months, key="close_month")
model = data.publish_meta(snapshot).attribution_models[0]
frame = data_close.compare(snapshot, month, model)
closed_at = frame["closed_at"].iloc[0] if not frame.empty else None
st.caption(
    t("close.caption", month=month, closed_at=f"{closed_at:%Y-%m-%d %H:%M} UTC", model=model)
    if closed_at is not None
    else month
)
frame["reason"] = [t(key) for key in frame["reason"]]
labels = {
    "cost": t("col.cost", cur=data.publish_meta(snapshot).reporting_currency),
    "leads": t("col.leads"),
    "deals_won": t("col.won"),
    "revenue": t("col.revenue", cur=data.publish_meta(snapshot).reporting_currency),
}
config = {"source_system": st.column_config.TextColumn(t("close.col.source"), pinned=True)}
order = ["source_system"]
for metric, label in labels.items():
    for kind in ("closed", "now", "diff"):
        config[f"{metric}_{kind}"] = st.column_config.NumberColumn(
            t(f"close.col.{kind}", metric=label), format="%.2f"
        )
        order.append(f"{metric}_{kind}")
config["reason"] = st.column_config.TextColumn(t("close.col.reason"))
order.append("reason")
tables.table_with_download(
    frame, config, key="close_table", file_stem=f"month_close_{month}", column_order=order
)
