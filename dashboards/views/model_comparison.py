"""Model comparison: how each attribution model splits the same credit between channels,
what that says about the budget, and (with the demo source) which model is closest to the truth."""

import streamlit as st

from dashboards import charts, data, filters, metrics, tables
from dashboards.i18n import (
    count,
    date,
    labeller,
    language,
    model_label,
    money,
    money_column,
    month,
    t,
)

st.title(t("page.model_comparison"))
snapshot = filters.snapshot_or_stop()
f = filters.sidebar_filters(snapshot, model_picker=False)
if not data.has_table(snapshot, data.COMPARISON_TABLE):
    st.info(t("mc.newer_snapshot"), icon=":material/update:")
    st.stop()

cur, lang = f.currency, language()
meta = data.publish_meta(snapshot)
first_month, last_month = data.month_span(f.start, f.end)
months = (
    month(first_month)
    if first_month == last_month
    else f"{month(first_month)} … {month(last_month)}"
)
st.caption(
    t(
        "mc.caption",
        months=months,
        start=date(f.start),
        end=date(f.end),
        channels=", ".join(f.channels) if f.channels else t("filter.all_channels_lower"),
    )
)

all_credit = data.model_credit(snapshot, f.start, f.end)
credit = data.model_credit(snapshot, f.start, f.end, f.channels) if f.channels else all_credit
models = metrics.model_order(all_credit["attribution_model"], meta.attribution_models)
if not models:
    st.info(t("mc.no_rows", months=months), icon=":material/info:")
    st.stop()
labels = {m: model_label(m) for m in models}
colors = charts.model_colors(models)
model_columns = {m: st.column_config.NumberColumn(labels[m], format="localized") for m in models}

# --- credit side by side ------------------------------------------------------------------------
MEASURES = {
    "leads": t("col.leads"),
    "deals_won": t("col.won"),
    "revenue": t("col.revenue", cur=cur),
}
total_label = t("mc.total")

st.subheader(t("mc.credit"))
measure = st.radio(
    t("mc.measure"),
    options=list(MEASURES),
    format_func=MEASURES.get,
    horizontal=True,
    key="mc_measure",
    help=t("mc.measure_help"),
)
by_model = metrics.credit_by_model(credit, measure, models, total_label)
model_totals = metrics.model_totals(all_credit, measure)


def _fmt(value: float) -> str:
    return money(value, cur) if measure == "revenue" else count(value)


if metrics.is_conserved(model_totals, measure):
    in_total = t(f"mc.in_total_{measure}", value=_fmt(model_totals.iloc[0]))
    st.caption(t("mc.conserved", total=in_total) + (t("mc.total_selected") if f.channels else ""))
else:
    st.warning(
        t(
            "mc.not_conserved",
            totals=", ".join(f"{labels.get(m, m)} {_fmt(v)}" for m, v in model_totals.items()),
        ),
        icon=":material/warning:",
    )
left, right = st.columns([2, 3])
with left:
    tables.table_with_download(
        by_model,
        {"channel": st.column_config.TextColumn(t("col.channel"), pinned=True), **model_columns},
        key="mc_credit_table",
        file_stem=f"model_credit_{measure}_{first_month:%Y%m}_{last_month:%Y%m}",
    )
right.plotly_chart(
    charts.model_credit_bars(
        by_model[by_model["channel"] != total_label],
        models,
        MEASURES[measure],
        labels,
        colors,
        value_format=",.0f" if measure == "revenue" else ",.1~f",
        lang=lang,
    ),
    key="mc_credit_chart",
)

# --- budget shift -------------------------------------------------------------------------------
st.subheader(t("mc.budget_shift"))
picker, _ = st.columns([1, 2])
shift_model = picker.selectbox(
    t("mc.model"),
    options=models,
    index=models.index(meta.default_model) if meta.default_model in models else 0,
    format_func=labeller("model"),
    key="mc_shift_model",
    help=t("mc.shift_model_help"),
)
st.caption(t("mc.shift_caption"))
shift = metrics.with_budget_shift(
    data.budget_shift(snapshot, f.start, f.end, shift_model, f.channels)
)
money_format = money_column()
st.plotly_chart(
    charts.budget_shift_bars(shift, model_label(shift_model), lang), key="mc_shift_chart"
)
tables.table_with_download(
    shift,
    {
        "channel": st.column_config.TextColumn(t("col.channel"), pinned=True),
        "cost": st.column_config.NumberColumn(t("col.cost", cur=cur), **money_format),
        "cost_share": st.column_config.NumberColumn(t("col.cost_share"), format="percent"),
        "revenue": st.column_config.NumberColumn(t("col.revenue", cur=cur), **money_format),
        "revenue_share": st.column_config.NumberColumn(
            t("col.revenue_share"), help=t("help.revenue_share"), format="percent"
        ),
        "shift_pp": st.column_config.NumberColumn(
            t("col.shift_pp"), help=t("help.shift_pp"), format="%+.1f"
        ),
    },
    key="mc_shift_table",
    file_stem=f"budget_shift_{shift_model}_{first_month:%Y%m}_{last_month:%Y%m}",
)

# --- accuracy on planted truth ------------------------------------------------------------------
st.subheader(t("mc.accuracy"))
misallocation = (
    data.model_misallocation(snapshot) if data.has_table(snapshot, data.ACCURACY_TABLE) else None
)


def _accuracy(misallocation) -> None:
    """Misallocation per model, best first, and the per-channel detail behind it."""
    st.caption(t("mc.accuracy_caption", deals=count(misallocation["deals"].max())))
    left, right = st.columns([2, 3])
    with left:
        tables.table_with_download(
            misallocation.assign(model=misallocation["attribution_model"].map(model_label)),
            {
                "model": st.column_config.TextColumn(t("col.model"), pinned=True),
                "misallocated_share": st.column_config.NumberColumn(
                    t("col.misallocated"), help=t("help.misallocated"), format="percent"
                ),
                "deals": st.column_config.NumberColumn(t("col.deals_scored"), format="localized"),
            },
            key="mc_accuracy_table",
            file_stem="model_accuracy",
        )
    right.plotly_chart(
        charts.misallocation_bars(
            misallocation,
            {m: model_label(m) for m in misallocation["attribution_model"]},
            colors,
            lang,
        ),
        key="mc_accuracy_chart",
    )
    with st.expander(t("mc.planted_vs_credited")):
        scored = list(misallocation["attribution_model"])
        picker, _ = st.columns([1, 2])
        accuracy_model = picker.selectbox(
            t("mc.model"),
            options=scored,
            format_func=labeller("model"),
            key="mc_accuracy_model",
        )
        share = {"format": "percent"}
        tables.table_with_download(
            data.model_accuracy(snapshot, accuracy_model),
            {
                "channel": st.column_config.TextColumn(t("col.channel"), pinned=True),
                "planted_leads": st.column_config.NumberColumn(
                    t("col.planted_leads"), format="localized"
                ),
                "credited_leads": st.column_config.NumberColumn(
                    t("col.credited_leads"), format="localized"
                ),
                "planted_share": st.column_config.NumberColumn(t("col.planted_share"), **share),
                "credited_share": st.column_config.NumberColumn(t("col.credited_share"), **share),
                "share_error": st.column_config.NumberColumn(
                    t("col.error"), help=t("help.error"), **share
                ),
            },
            key="mc_accuracy_channels",
            file_stem=f"model_accuracy_{accuracy_model}",
        )


if misallocation is None or misallocation.empty:
    st.caption(t("mc.no_planted_truth"))
else:
    _accuracy(misallocation)


# --- data-driven shares with their uncertainty ---------------------------------------------------
def _data_driven(model: str) -> None:
    shares = data.data_driven_shares(snapshot, model)
    if shares is None or shares.empty:
        return
    st.subheader(t(f"mc.{model}"))
    conversions = int(shares["conversions"].iloc[0])
    if bool(shares["is_too_little_data"].iloc[0]):
        st.warning(
            t("mc.markov_too_little", conversions=count(conversions)), icon=":material/warning:"
        )
    st.caption(t(f"mc.{model}_caption", conversions=count(conversions)))
    share = {"format": "percent"}
    columns = ["channel", "share", "share_low", "share_high"]
    if model == "markov":
        columns.append("removal_effect")
    tables.table_with_download(
        shares,
        {
            "channel": st.column_config.TextColumn(t("col.channel"), pinned=True),
            "share": st.column_config.NumberColumn(t("col.share"), **share),
            "share_low": st.column_config.NumberColumn(t("col.share_low"), **share),
            "share_high": st.column_config.NumberColumn(t("col.share_high"), **share),
            "removal_effect": st.column_config.NumberColumn(
                t("col.removal_effect"), help=t("help.removal_effect"), **share
            ),
        },
        key=f"mc_{model}_table",
        file_stem=f"{model}_shares",
        column_order=columns,
    )


for data_driven_model in ("markov", "shapley"):
    _data_driven(data_driven_model)
