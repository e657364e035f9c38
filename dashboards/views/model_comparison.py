"""Model comparison: how each attribution model splits the same credit between channels,
what that says about the budget, and (with the demo source) which model is closest to the truth."""

import streamlit as st

from dashboards import charts, data, filters, metrics, tables

NEWER_SNAPSHOT_MESSAGE = "Model comparison needs a newer snapshot: run `make build`."
NO_PLANTED_TRUTH = (
    "Accuracy appears when the demo source is enabled: its simulation plants the channel that "
    "really drove each deal, and every model is scored against it."
)

st.title("Model comparison")
snapshot = filters.snapshot_or_stop()
f = filters.sidebar_filters(snapshot, model_picker=False)
if not data.has_table(snapshot, data.COMPARISON_TABLE):
    st.info(NEWER_SNAPSHOT_MESSAGE, icon=":material/update:")
    st.stop()

cur = f.currency
meta = data.publish_meta(snapshot)
first_month, last_month = data.month_span(f.start, f.end)
months = (
    f"{first_month:%b %Y}"
    if first_month == last_month
    else f"{first_month:%b %Y} … {last_month:%b %Y}"
)
st.caption(
    f"{months} (whole months overlapping {f.start:%Y-%m-%d} … {f.end:%Y-%m-%d}) · every model · "
    f"{', '.join(f.channels) if f.channels else 'all channels'}"
)

all_credit = data.model_credit(snapshot, f.start, f.end)
credit = data.model_credit(snapshot, f.start, f.end, f.channels) if f.channels else all_credit
models = metrics.model_order(all_credit["attribution_model"], meta.attribution_models)
if not models:
    st.info(f"No model comparison rows for {months}: run `make build`.", icon=":material/info:")
    st.stop()
labels = {m: filters.model_label(m) for m in models}
colors = charts.model_colors(models)
model_columns = {m: st.column_config.NumberColumn(labels[m], format="localized") for m in models}

# --- credit side by side ------------------------------------------------------------------------
MEASURES = {"leads": "Leads", "deals_won": "Won", "revenue": f"Revenue, {cur}"}
IN_TOTAL = {"leads": "{} leads", "deals_won": "{} won deals", "revenue": "{} of revenue"}

st.subheader("Credit side by side")
measure = st.radio(
    "Measure",
    options=list(MEASURES),
    format_func=MEASURES.get,
    horizontal=True,
    key="mc_measure",
    help="Leads, won deals and revenue as each model credits them to the channels.",
)
by_model = metrics.credit_by_model(credit, measure, models)
model_totals = metrics.model_totals(all_credit, measure)


def _fmt(value: float) -> str:
    return metrics.fmt_money(value, cur) if measure == "revenue" else metrics.fmt_count(value)


if metrics.is_conserved(model_totals, measure):
    st.caption(
        f"Every model credits the same {IN_TOTAL[measure].format(_fmt(model_totals.iloc[0]))} "
        "over all channels: models only move credit between channels, they neither add nor "
        "lose any." + (" The Total row is the selected channels only." if f.channels else "")
    )
else:
    st.warning(
        "The models' totals differ (they should not: check the attribution build): "
        + ", ".join(f"{labels.get(m, m)} {_fmt(v)}" for m, v in model_totals.items()),
        icon=":material/warning:",
    )
left, right = st.columns([2, 3])
with left:
    tables.table_with_download(
        by_model,
        {"channel": st.column_config.TextColumn("Channel", pinned=True), **model_columns},
        key="mc_credit_table",
        file_stem=f"model_credit_{measure}_{first_month:%Y%m}_{last_month:%Y%m}",
    )
right.plotly_chart(
    charts.model_credit_bars(
        by_model[by_model["channel"] != metrics.TOTAL_ROW],
        models,
        MEASURES[measure],
        labels,
        colors,
        value_format=",.0f" if measure == "revenue" else ",.1~f",
    ),
    key="mc_credit_chart",
)

# --- budget shift -------------------------------------------------------------------------------
st.subheader("Budget shift")
picker, _ = st.columns([1, 2])
shift_model = picker.selectbox(
    "Model",
    options=models,
    index=models.index(meta.default_model) if meta.default_model in models else 0,
    format_func=filters.model_label,
    key="mc_shift_model",
    help="Whose revenue credit to set against the spend.",
)
st.caption(
    "Each channel's share of the cost against its share of the model's revenue over the months "
    "above; shift = revenue share − cost share, in percentage points: positive means the model "
    "says the channel earns more than its share of spend. Shares are of all channels; the "
    "channel filter only narrows the rows."
)
shift = metrics.with_budget_shift(
    data.budget_shift(snapshot, f.start, f.end, shift_model, f.channels)
)
money = {"format": "%,.0f"}
st.plotly_chart(
    charts.budget_shift_bars(shift, filters.model_label(shift_model)), key="mc_shift_chart"
)
tables.table_with_download(
    shift,
    {
        "channel": st.column_config.TextColumn("Channel", pinned=True),
        "cost": st.column_config.NumberColumn(f"Cost, {cur}", **money),
        "cost_share": st.column_config.NumberColumn("Cost share", format="percent"),
        "revenue": st.column_config.NumberColumn(f"Revenue, {cur}", **money),
        "revenue_share": st.column_config.NumberColumn(
            "Revenue share", help="— when the model credits no revenue", format="percent"
        ),
        "shift_pp": st.column_config.NumberColumn(
            "Shift, pp", help="revenue share − cost share", format="%+.1f"
        ),
    },
    key="mc_shift_table",
    file_stem=f"budget_shift_{shift_model}_{first_month:%Y%m}_{last_month:%Y%m}",
)

# --- accuracy on planted truth ------------------------------------------------------------------
st.subheader("Accuracy on planted truth")
misallocation = (
    data.model_misallocation(snapshot) if data.has_table(snapshot, data.ACCURACY_TABLE) else None
)


def _accuracy(misallocation) -> None:
    """Misallocation per model, best first, and the per-channel detail behind it."""
    st.caption(
        f"Scored on the {metrics.fmt_count(misallocation['deals'].max())} deals whose true channel "
        "the demo simulation planted (all dates and channels: the sidebar does not apply). "
        "Misallocated = Σ |credited share − planted share| / 2, the share of leads a model gives "
        "to the wrong channel."
    )
    left, right = st.columns([2, 3])
    with left:
        tables.table_with_download(
            misallocation.assign(model=misallocation["attribution_model"].map(filters.model_label)),
            {
                "model": st.column_config.TextColumn("Model", pinned=True),
                "misallocated_share": st.column_config.NumberColumn(
                    "Misallocated", help="Σ |credited share − planted share| / 2", format="percent"
                ),
                "deals": st.column_config.NumberColumn("Deals scored", format="localized"),
            },
            key="mc_accuracy_table",
            file_stem="model_accuracy",
        )
    right.plotly_chart(
        charts.misallocation_bars(
            misallocation,
            {m: filters.model_label(m) for m in misallocation["attribution_model"]},
            colors,
        ),
        key="mc_accuracy_chart",
    )
    with st.expander("Planted vs credited share by channel"):
        scored = list(misallocation["attribution_model"])
        picker, _ = st.columns([1, 2])
        accuracy_model = picker.selectbox(
            "Model",
            options=scored,
            format_func=filters.model_label,
            key="mc_accuracy_model",
        )
        share = {"format": "percent"}
        tables.table_with_download(
            data.model_accuracy(snapshot, accuracy_model),
            {
                "channel": st.column_config.TextColumn("Channel", pinned=True),
                "planted_leads": st.column_config.NumberColumn("Planted leads", format="localized"),
                "credited_leads": st.column_config.NumberColumn(
                    "Credited leads", format="localized"
                ),
                "planted_share": st.column_config.NumberColumn("Planted share", **share),
                "credited_share": st.column_config.NumberColumn("Credited share", **share),
                "share_error": st.column_config.NumberColumn(
                    "Error", help="credited share − planted share", **share
                ),
            },
            key="mc_accuracy_channels",
            file_stem=f"model_accuracy_{accuracy_model}",
        )


if misallocation is None or misallocation.empty:
    st.caption(NO_PLANTED_TRUTH)
else:
    _accuracy(misallocation)

# --- Markov shares with their uncertainty --------------------------------------------------------
markov = data.markov_shares(snapshot)
if markov is not None and not markov.empty:
    st.subheader("Markov: share of conversions, with 95% interval")
    conversions = int(markov["conversions"].iloc[0])
    if bool(markov["is_too_little_data"].iloc[0]):
        st.warning(
            f"Too little data: {metrics.fmt_count(conversions)} conversions. Data-driven shares "
            "this uncertain should not move budget; compare the interval widths below.",
            icon=":material/warning:",
        )
    st.caption(
        f"Removal-effect shares over all {metrics.fmt_count(conversions)} conversions and every "
        "path of the published data (the sidebar does not apply); the interval is from bootstrap "
        "resamples of the paths."
    )
    share = {"format": "percent"}
    tables.table_with_download(
        markov,
        {
            "channel": st.column_config.TextColumn("Channel", pinned=True),
            "share": st.column_config.NumberColumn("Share", **share),
            "share_low": st.column_config.NumberColumn("95% low", **share),
            "share_high": st.column_config.NumberColumn("95% high", **share),
            "removal_effect": st.column_config.NumberColumn(
                "Removal effect",
                help="1 − P(conversion without the channel) / P(conversion)",
                **share,
            ),
        },
        key="mc_markov_table",
        file_stem="markov_shares",
        column_order=["channel", "share", "share_low", "share_high", "removal_effect"],
    )
