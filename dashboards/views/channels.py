"""Channels & campaigns: every metric per channel, drilled to sources and campaigns, cost vs
revenue, and the deals behind any row ("why is this number what it is")."""

import streamlit as st

from dashboards import charts_channels, data, data_channels, filters, formats, metrics, tables
from dashboards.i18n import count, labeller, language, money, money_column, t

CHANNEL_KEY = "channels_drill_channel"
SOURCE_KEY = "channels_drill_source"
ALL_CAMPAIGNS_KEY = "channels_all_campaigns"
SORT_KEY = "channels_sort_by"
DESC_KEY = "channels_sort_desc"
ROW_KEY = "channels_why_row"
MEASURE_KEY = "channels_why_measure"
ALL = ""  # "no channel / source picked" in the drill pickers
TOLERANCE = {"revenue": 0.005}  # to the kopeck; counts to rounding noise
COUNT_TOLERANCE = 1e-6


def _keep_valid(key: str, options: list, default: object) -> None:
    """A picker's remembered value, or ``default`` when the options no longer hold it."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = default


st.title(t("channels.page_title"))
snapshot = filters.snapshot_or_stop()
f = filters.sidebar_filters(snapshot)
cur, lang = f.currency, language()
money_format = money_column()
st.caption(filters.caption(f))

# --- drill: channel → source → campaign -------------------------------------------------------
_, by_channel = data_channels.rows(snapshot, f.start, f.end, f.model, f.channels)
channel_options = [ALL, *by_channel["channel"]]
_keep_valid(CHANNEL_KEY, channel_options, ALL)
# labels bound now: format_func may be called after the run, in another language context
all_channels_label, all_sources_label = t("channels.all_channels"), t("channels.all_sources")
drill = st.columns([2, 2, 2], vertical_alignment="bottom")
channel = drill[0].selectbox(
    t("channels.drill_channel"),
    options=channel_options,
    format_func=lambda c: c or all_channels_label,
    key=CHANNEL_KEY,
    help=t("channels.drill_channel_help"),
)
source = ALL
if channel:
    source_options = [
        ALL,
        *data_channels.sources_of(snapshot, f.start, f.end, f.model, channel),
    ]
    _keep_valid(SOURCE_KEY, source_options, ALL)
    source = drill[1].selectbox(
        t("channels.drill_source"),
        options=source_options,
        format_func=lambda s: s or all_sources_label,
        key=SOURCE_KEY,
        help=t("channels.drill_source_help"),
    )
all_campaigns = drill[2].toggle(
    t("channels.all_campaigns"),
    key=ALL_CAMPAIGNS_KEY,
    help=t("channels.all_campaigns_help"),
    disabled=bool(source),
)
level, table = (
    ("channel", by_channel)
    if data_channels.level_for(channel, source, all_campaigns) == "channel"
    else data_channels.rows(
        snapshot,
        f.start,
        f.end,
        f.model,
        f.channels,
        channel=channel or None,
        source=source or None,
        all_campaigns=all_campaigns,
    )
)
scope = " › ".join(p for p in (channel, source) if p) or t("channels.all_channels")
level_title = t(f"channels.level.{level}", channel=channel, scope=scope)

# --- column labels and formats ------------------------------------------------------------------
count_format = {"format": "localized"}
percent = {"format": "percent"}
kopecks = {"format": "localized" if lang == "ru" else "%,.2f"}  # money with its decimals
name_label = {"channel": "col.channel", "source": "col.source", "campaign": "col.campaign"}[level]
metric_columns = {
    "cost": st.column_config.NumberColumn(t("col.cost", cur=cur), **money_format),
    "impressions": st.column_config.NumberColumn(t("channels.col.impressions"), **count_format),
    "clicks": st.column_config.NumberColumn(t("channels.col.clicks"), **count_format),
    "visits": st.column_config.NumberColumn(t("col.visits"), **count_format),
    "leads": st.column_config.NumberColumn(t("col.leads"), **count_format),
    "deals_won": st.column_config.NumberColumn(t("col.won"), **count_format),
    "revenue": st.column_config.NumberColumn(t("col.revenue", cur=cur), **money_format),
    "ctr": st.column_config.NumberColumn(
        t("channels.col.ctr"), help=t("channels.help.ctr"), **percent
    ),
    "cpc": st.column_config.NumberColumn(
        t("channels.col.cpc", cur=cur), help=t("channels.help.cpc"), **kopecks
    ),
    "cr_visit_lead": st.column_config.NumberColumn(
        t("col.cr_visit_lead"), help=t("channels.help.cr_visit_lead"), **percent
    ),
    "cr_lead_won": st.column_config.NumberColumn(
        t("col.cr_lead_won"), help=t("channels.help.cr_lead_won"), **percent
    ),
    "cpl": st.column_config.NumberColumn(t("col.cpl", cur=cur), help=t("help.cpl"), **money_format),
    "cac": st.column_config.NumberColumn(t("col.cac", cur=cur), help=t("help.cac"), **money_format),
    "aov": st.column_config.NumberColumn(
        t("channels.col.aov", cur=cur), help=t("channels.help.aov"), **money_format
    ),
    "roi": st.column_config.NumberColumn(t("col.roi"), help=t("help.roi"), **percent),
    "romi": st.column_config.NumberColumn(t("col.romi"), help=t("help.romi"), **percent),
    "drr": st.column_config.NumberColumn(t("col.drr"), help=t("help.drr"), **percent),
}
columns = {
    "name": st.column_config.TextColumn(t(name_label), pinned=True),
    **({"channel": st.column_config.TextColumn(t("col.channel"))} if level != "channel" else {}),
    **(
        {
            "source_system": st.column_config.TextColumn(t("col.source")),
            "campaign_id": st.column_config.TextColumn(t("col.campaign_id")),
        }
        if level == "campaign"
        else {}
    ),
    **metric_columns,
}

# --- sort ---------------------------------------------------------------------------------------
st.subheader(level_title)
_keep_valid(SORT_KEY, list(data_channels.METRIC_COLUMNS), data_channels.DEFAULT_SORT)
_keep_valid(DESC_KEY, [True, False], True)
sort_at = st.columns([3, 2], vertical_alignment="bottom")
sort_by = sort_at[0].selectbox(
    t("channels.sort_by"),
    options=list(data_channels.METRIC_COLUMNS),
    format_func=lambda c: metric_columns[c]["label"],
    key=SORT_KEY,
    help=t("channels.sort_help"),
)
descending = sort_at[1].toggle(t("channels.sort_desc"), key=DESC_KEY)
table = data_channels.sort_rows(table, sort_by, descending)
tables.table_with_download(
    table,
    columns,
    key="channels_table",
    file_stem=f"channels_{f.model}_{f.start:%Y%m%d}_{f.end:%Y%m%d}_{level}",
)
st.caption(t("channels.table_note"))

# --- cost vs revenue ---------------------------------------------------------------------------
st.plotly_chart(
    charts_channels.cost_revenue_rows(table, level_title, cur, lang), key="channels_chart"
)
if len(table) > charts_channels.MAX_ROWS:
    st.caption(t("channels.chart_rows_note", shown=charts_channels.MAX_ROWS, total=len(table)))

# --- why this number ----------------------------------------------------------------------------
st.subheader(t("channels.why"))
if not data.has_table(snapshot, data_channels.CREDIT_TABLE):
    st.info(t("channels.no_credit_table"), icon=":material/info:")
    st.stop()
st.caption(t("channels.why_intro"))
parents = {"channel": (), "source": ("channel",), "campaign": ("channel", "source_system")}[level]
row_names = {
    key: " › ".join([*(str(r[p]) for p in parents), r["name"]])
    for key, r in zip(table["key"], table.to_dict("records"), strict=True)
}
_keep_valid(ROW_KEY, list(row_names), None)
_keep_valid(MEASURE_KEY, list(data_channels.MEASURES), "leads")
pick = st.columns([3, 2], vertical_alignment="bottom")
row = pick[0].selectbox(
    t("channels.why_row"),
    options=list(row_names),
    format_func=row_names.get,
    placeholder=t("channels.why_row_placeholder"),
    key=ROW_KEY,
)
measure = pick[1].segmented_control(
    t("channels.why_measure"),
    options=list(data_channels.MEASURES),
    format_func=labeller("channels.measure"),
    required=True,
    key=MEASURE_KEY,
)
if row is None:
    st.stop()

picked_channel, picked_source, picked_campaign = data_channels.split_key(row)
meta = data.publish_meta(snapshot)
args = (snapshot, f.start, f.end, f.model, picked_channel, picked_source, picked_campaign, measure)
deals = data_channels.deals_behind(*args, percent_sign=formats.percent_sign(lang))
measure_label = t(f"channels.measure.{measure}")
if deals.empty:
    st.info(t("channels.why_empty", measure=measure_label), icon=":material/search_off:")
    st.stop()

credited = metrics.totals(deals, ("credited_lead", "credited_won", "credited_revenue"))
st.markdown(
    t(
        "channels.why_totals",
        deals=count(len(deals)),
        leads=count(credited["credited_lead"]),
        won=count(credited["credited_won"]),
        revenue=money(credited["credited_revenue"], cur),
    )
)
in_table = float(table.loc[table["key"] == row, measure].iloc[0])
from_deals = credited[data_channels.CREDIT_COLUMN[measure]]


def _value(v: float) -> str:
    return money(v, cur, 2) if measure == "revenue" else count(v)


if abs(in_table - from_deals) <= TOLERANCE.get(measure, COUNT_TOLERANCE):
    st.success(
        t("channels.why_matches", measure=measure_label, value=_value(in_table)),
        icon=":material/check_circle:",
    )
else:
    st.warning(
        t(
            "channels.why_mismatch",
            measure=measure_label,
            table=_value(in_table),
            deals=_value(from_deals),
        ),
        icon=":material/warning:",
    )
st.caption(t("channels.why_note"))

date_format = formats.date_input_format(lang)
stem = f"{f.model}_{f.start:%Y%m%d}_{f.end:%Y%m%d}_{measure}"
st.markdown(f"**{t('channels.deals')}**")
tables.table_with_download(
    deals,
    {
        "deal_id": st.column_config.TextColumn(t("channels.col.deal_id"), pinned=True),
        "deal_source": st.column_config.TextColumn(t("channels.col.deal_source")),
        "created_date": st.column_config.DateColumn(
            t("channels.col.created_date"), format=date_format
        ),
        "status": st.column_config.TextColumn(t("channels.col.status")),
        "amount": st.column_config.NumberColumn(t("channels.col.amount", cur=cur), **money_format),
        "touches": st.column_config.NumberColumn(t("channels.col.touches"), **count_format),
        "path_touches": st.column_config.NumberColumn(
            t("channels.col.path_touches"), **count_format
        ),
        "credited_lead": st.column_config.NumberColumn(
            t("channels.col.credited_lead"), format="%.3f"
        ),
        "credited_won": st.column_config.NumberColumn(
            t("channels.col.credited_won"), format="%.3f"
        ),
        "credited_revenue": st.column_config.NumberColumn(
            t("channels.col.credited_revenue", cur=cur), **kopecks
        ),
        "path": st.column_config.TextColumn(t("channels.col.path")),
    },
    key="channels_deals",
    file_stem=f"deals_behind_{stem}",
)

st.markdown(f"**{t('channels.touches')}**")
touches = data_channels.touches_behind(*args, timezone=meta.reporting_timezone)
tables.table_with_download(
    touches,
    {
        "deal_id": st.column_config.TextColumn(t("channels.col.deal_id"), pinned=True),
        "touch_index": st.column_config.NumberColumn(t("channels.col.touch_index")),
        "touch_at": st.column_config.DatetimeColumn(
            t("channels.col.touch_at", tz=meta.reporting_timezone), format=f"{date_format} HH:mm"
        ),
        "touch_kind": st.column_config.TextColumn(t("channels.col.touch_kind")),
        "channel": st.column_config.TextColumn(t("col.channel")),
        "report_source": st.column_config.TextColumn(t("col.source")),
        "report_campaign_id": st.column_config.TextColumn(t("channels.col.campaign_id")),
        "campaign_name": st.column_config.TextColumn(t("col.campaign")),
        "weight": st.column_config.NumberColumn(
            t("channels.col.weight"), help=t("channels.help.weight"), **percent
        ),
        "credited_revenue": st.column_config.NumberColumn(
            t("channels.col.credited_revenue", cur=cur), **kopecks
        ),
        "in_row": st.column_config.CheckboxColumn(
            t("channels.col.in_row"), help=t("channels.help.in_row")
        ),
        "visit_id": st.column_config.TextColumn(t("channels.col.visit_id")),
    },
    key="channels_touches",
    file_stem=f"touches_behind_{stem}",
)
