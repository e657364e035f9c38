"""Data health: is the data complete and fresh? Per source the last day loaded and its rows,
the share of deals no visit could be tied to, the rows quarantined and why, and how the last
nightly run ended (including warn-level checks that failed but did not stop the publish)."""

import streamlit as st

from dashboards import data, data_health, filters, formats, health_banner, tables
from dashboards.i18n import count, date, date_time, language, pct, t

st.title(t("data_health.title"))
snapshot = filters.snapshot_or_stop()
# The sidebar filters do not apply here; keep the user's picks for the other pages (widget state
# is dropped on a page that does not draw the widget, a re-assigned value is kept).
for key in (filters.PRESET_KEY, filters.DATES_KEY, filters.MODEL_KEY, filters.CHANNELS_KEY):
    if key in st.session_state:
        st.session_state[key] = st.session_state[key]

lang = language()
meta = data.publish_meta(snapshot)
published = meta.published_at_local()
publish_day = published.date()
record = data_health.read_run_record(data_health.run_record_path(snapshot))
freshness = data_health.freshness(snapshot)
checked = (
    data_health.with_lateness(freshness, publish_day, data_health.configured_due_days())
    if freshness is not None
    else None
)
late = health_banner.late(snapshot)
deals = data_health.unattributed(snapshot)
summary = data_health.rejected_summary(snapshot)
st.caption(
    t(
        "data_health.caption",
        when=date_time(published),
        tz=published.tzname(),
        sources=", ".join(meta.sources) or "—",
    )
)

# --- KPIs -----------------------------------------------------------------------------------
tiles = st.columns(4)
status = record.status if record else None
tiles[0].metric(
    t("data_health.kpi.last_run"),
    t(f"data_health.status.{status}") if status in ("success", "failure") else (status or "—"),
    border=True,
)
tiles[1].metric(
    t("data_health.kpi.late"),
    count(len(late)) if checked is not None else "—",
    help=t("data_health.help.late"),
    border=True,
)
overall = deals[deals["source_system"] == data_health.TOTAL] if deals is not None else None
tiles[2].metric(
    t("data_health.kpi.unattributed"),
    pct(overall["share"].iloc[0]) if overall is not None and len(overall) else "—",
    help=t("data_health.help.unattributed"),
    border=True,
)
tiles[3].metric(
    t("data_health.kpi.rejected"),
    count(summary["rejected"].sum()) if summary is not None else "—",
    border=True,
)

# --- last run -------------------------------------------------------------------------------
st.subheader(t("data_health.run_title"))
published_text = f"{date_time(published)} {published.tzname()}"
if record is None:
    st.info(t("data_health.run_none", published=published_text), icon=":material/info:")
else:
    finished = record.finished_at.astimezone(published.tzinfo) if record.finished_at else None
    finished_text = f"{date_time(finished)} {finished.tzname()}" if finished else "—"
    if record.status == "success":
        st.success(
            t("data_health.run_success", finished=finished_text, published=published_text),
            icon=":material/check_circle:",
        )
    elif record.status == "failure":
        st.error(
            t(
                "data_health.run_failure",
                finished=finished_text,
                steps=", ".join(record.failed_steps) or "—",
                published=published_text,
            ),
            icon=":material/error:",
        )
    else:
        st.info(
            t("data_health.run_other", status=record.status, finished=finished_text),
            icon=":material/info:",
        )
    warnings = data_health.warnings_frame(record)
    if warnings.empty:
        st.caption(t("data_health.no_warnings"))
    else:
        st.warning(t("data_health.warnings", n=count(len(warnings))), icon=":material/warning:")
        tables.table_with_download(
            warnings,
            {
                "check": st.column_config.TextColumn(t("data_health.col.check"), pinned=True),
                "unique_id": st.column_config.TextColumn(t("data_health.col.unique_id")),
            },
            key="health_warnings",
            file_stem="warn_checks",
        )

# --- freshness ------------------------------------------------------------------------------
st.subheader(t("data_health.freshness_title"))
if checked is None:
    st.info(t("data_health.newer_snapshot"), icon=":material/update:")
else:
    st.caption(t("data_health.freshness_caption", publish_day=date(publish_day)))
    shown = checked.sort_values("is_late", ascending=False, kind="stable")  # late ones first
    shown = shown.assign(
        entity=[health_banner.entity_label(e) for e in shown["entity"]],
        status=[t("data_health.late") if x else t("data_health.on_time") for x in shown["is_late"]],
    )
    tables.table_with_download(
        shown,
        {
            "source_system": st.column_config.TextColumn(t("col.source"), pinned=True),
            "entity": st.column_config.TextColumn(t("data_health.col.entity")),
            "status": st.column_config.TextColumn(t("data_health.col.status")),
            "last_data_date": st.column_config.DateColumn(
                t("data_health.col.last_day"), format=formats.date_input_format(lang)
            ),
            "days_behind": st.column_config.NumberColumn(
                t("data_health.col.days_behind"),
                help=t("data_health.help.days_behind", publish_day=date(publish_day)),
                format="localized",
            ),
            "due_days": st.column_config.NumberColumn(
                t("data_health.col.due_days"),
                help=t("data_health.help.due_days"),
                format="localized",
            ),
            "rows_last_7_days": st.column_config.NumberColumn(
                t("data_health.col.rows_7"), format="localized"
            ),
            "rows_total": st.column_config.NumberColumn(
                t("data_health.col.rows_total"), format="localized"
            ),
        },
        key="health_freshness",
        file_stem=f"source_freshness_{publish_day:%Y%m%d}",
    )

# --- unattributed ---------------------------------------------------------------------------
st.subheader(t("data_health.unattributed_title"))
if deals is None:
    st.info(t("data_health.newer_snapshot"), icon=":material/update:")
else:
    st.caption(t("data_health.unattributed_caption", channel=data.UNATTRIBUTED))
    tables.table_with_download(
        deals.assign(
            source_system=[
                t("data_health.all_sources") if s == data_health.TOTAL else s
                for s in deals["source_system"]
            ]
        ),
        {
            "source_system": st.column_config.TextColumn(t("col.source"), pinned=True),
            "deals": st.column_config.NumberColumn(t("data_health.col.deals"), format="localized"),
            "unattributed": st.column_config.NumberColumn(
                t("data_health.col.unattributed"), format="localized"
            ),
            "share": st.column_config.NumberColumn(t("data_health.col.share"), format="percent"),
            "utm_only": st.column_config.NumberColumn(
                t("data_health.col.utm_only"),
                help=t("data_health.help.utm_only"),
                format="localized",
            ),
        },
        key="health_unattributed",
        file_stem="unattributed_deals",
    )

# --- rejected rows --------------------------------------------------------------------------
st.subheader(t("data_health.rejected_title"))
if summary is None:
    st.info(t("data_health.newer_snapshot"), icon=":material/update:")
elif summary.empty:
    st.success(t("data_health.no_rejected"), icon=":material/check_circle:")
else:
    entity = st.column_config.TextColumn(t("data_health.col.entity"))
    source = st.column_config.TextColumn(t("col.source"), pinned=True)
    reason = st.column_config.TextColumn(t("data_health.col.reason"))
    tables.table_with_download(
        summary.assign(entity=[health_banner.entity_label(e) for e in summary["entity"]]),
        {
            "source_system": source,
            "entity": entity,
            "reason": reason,
            "rejected": st.column_config.NumberColumn(
                t("data_health.col.rejected"), format="localized"
            ),
            "files": st.column_config.NumberColumn(t("data_health.col.files"), format="localized"),
        },
        key="health_rejected_summary",
        file_stem="rejected_by_reason",
    )
    total = int(summary["rejected"].sum())
    rows = data_health.rejected_rows(snapshot)
    st.markdown(f"**{t('data_health.rejected_rows_title')}**")
    if total > len(rows):
        st.caption(t("data_health.rejected_first", shown=count(len(rows)), total=count(total)))
    tables.table_with_download(
        rows.assign(entity=[health_banner.entity_label(e) for e in rows["entity"]]),
        {
            "source_system": source,
            "entity": entity,
            "source_file": st.column_config.TextColumn(t("data_health.col.file")),
            "source_row": st.column_config.NumberColumn(t("data_health.col.row"), format="plain"),
            "reason": reason,
            "raw_row": st.column_config.TextColumn(t("data_health.col.raw_row")),
        },
        key="health_rejected_rows",
        file_stem="rejected_rows",
    )
