"""Pure Plotly figure builders for the Cohorts & LTV and Segments pages: a DataFrame in, a
``go.Figure`` out (no Streamlit). Texts come from ``messages_cohorts`` / ``messages_segments``
through ``translate``; the language is passed in."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboards.formats import fmt_month, plotly_separators
from dashboards.messages import translate

HEATMAP_SCALE = "Blues"
RFM_SCALE = "Greens"
SEGMENT_COLORS = {"new": "#636EFA", "loyal": "#00CC96", "vip": "#FFA15A", "inactive": "#9A9A9A"}
SCORES = (1, 2, 3, 4, 5)
# d3 formats of the heatmap cells (Plotly applies the layout's separators to them)
CELL_FORMAT = {"customers": ",.0f", "revenue": ",.0f", "ltv": ",.0f"}


def _layout(fig: go.Figure, lang: str, **kwargs: object) -> go.Figure:
    fig.update_layout(
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        separators=plotly_separators(lang),
        **kwargs,
    )
    return fig


def _empty(title: str, lang: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=translate("chart.no_data", lang), showarrow=False, x=0.5, y=0.5)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, lang, title={"text": title})


# --- Cohorts & LTV ----------------------------------------------------------------------------


def cohort_matrix(grid: pd.DataFrame, metric: str) -> pd.DataFrame:
    """``acquisition_month × months_since`` of ``metric`` (oldest cohort first, months since
    0 … the oldest cohort's age). A cell after a cohort's last observed month is NaN (not yet
    happened), unlike a 0 (nobody bought)."""
    if grid.empty:
        return pd.DataFrame(dtype="float64")
    matrix = grid.pivot(index="acquisition_month", columns="months_since", values=metric)
    matrix = matrix.astype("float64").reindex(columns=range(int(grid["months_since"].max()) + 1))
    return matrix.sort_index()


def _cells(matrix: pd.DataFrame) -> list[list[float | None]]:
    """A matrix as nested lists, NaN as None (a gap in the heatmap)."""
    return [[None if pd.isna(v) else float(v) for v in row] for row in matrix.to_numpy()]


def cohort_heatmap(grid: pd.DataFrame, metric: str, currency: str, lang: str = "en") -> go.Figure:
    """Acquisition month (rows, oldest on top) × months since the first purchase (columns),
    coloured and labelled by ``metric``: ``customers`` (of the cohort, buying that month),
    ``revenue`` (that month) or ``ltv`` (cumulative revenue per acquired customer).

    ``grid`` has ``acquisition_month, months_since, cohort_customers`` and the metric column.
    """
    title = translate(f"cohorts.heatmap_title_{metric}", lang, cur=currency)
    if grid.empty:
        return _empty(title, lang)
    matrix = cohort_matrix(grid, metric)
    sizes = grid.groupby("acquisition_month")["cohort_customers"].max().reindex(matrix.index)
    months = [pd.Timestamp(m).date() for m in matrix.index]
    labels = [
        f"{fmt_month(m, lang)} · {int(n)}" for m, n in zip(months, sizes.fillna(0), strict=True)
    ]
    cell = CELL_FORMAT[metric]
    unit = "" if metric == "customers" else f" {currency}"
    value_label = translate(f"cohorts.metric.{metric}", lang)
    fig = go.Figure(
        go.Heatmap(
            z=_cells(matrix),
            x=[int(c) for c in matrix.columns],
            y=labels,
            colorscale=HEATMAP_SCALE,
            texttemplate=f"%{{z:{cell}}}",
            hoverongaps=False,
            colorbar={"thickness": 12},
            hovertemplate=(
                f"%{{y}}<br>{translate('cohorts.months_since', lang)}: %{{x}}"
                f"<br>{value_label}: %{{z:{cell}}}{unit}<extra></extra>"
            ),
        )
    )
    fig.update_xaxes(title_text=translate("cohorts.months_since", lang), dtick=1, side="top")
    fig.update_yaxes(title_text=translate("cohorts.cohort_axis", lang), autorange="reversed")
    height = max(320, 60 + 32 * len(labels))
    return _layout(fig, lang, title={"text": title}, height=height)


def ltv_curves(grid: pd.DataFrame, cac: float | None, currency: str, lang: str = "en") -> go.Figure:
    """Cumulative LTV per customer by months since, one line per cohort, and the blended CAC
    of the cohorts shown as a dashed line (none when undefined)."""
    title = translate("cohorts.curves_title", lang, cur=currency)
    if grid.empty:
        return _empty(title, lang)
    fig = go.Figure()
    for month, rows in grid.sort_values(["acquisition_month", "months_since"]).groupby(
        "acquisition_month", sort=True
    ):
        name = fmt_month(pd.Timestamp(month).date(), lang)
        fig.add_trace(
            go.Scatter(
                name=name,
                x=rows["months_since"].astype(int),
                y=rows["ltv"].astype("float64"),
                mode="lines+markers",
                hovertemplate=f"{name}<br>%{{x}}: %{{y:,.0f}} {currency}<extra></extra>",
            )
        )
    if cac is not None and not np.isnan(cac):
        top = int(grid["months_since"].max())
        fig.add_trace(
            go.Scatter(
                name=translate("cohorts.cac_line", lang),
                x=[0, top],
                y=[cac, cac],
                mode="lines",
                line={"dash": "dash", "width": 1, "color": "#EF553B"},
                hovertemplate=f"CAC %{{y:,.0f}} {currency}<extra></extra>",
            )
        )
    fig.update_xaxes(title_text=translate("cohorts.months_since", lang), dtick=1)
    fig.update_yaxes(title_text=currency, tickformat=",.0f", rangemode="tozero")
    return _layout(fig, lang, title={"text": title})


# --- Segments ---------------------------------------------------------------------------------


def segment_bars(summary: pd.DataFrame, currency: str, lang: str = "en") -> go.Figure:
    """Customers and revenue per segment, side by side (``segment, customers, revenue``)."""
    title = translate("segments.bars_title", lang)
    if summary.empty or not summary["customers"].astype("float64").sum():
        return _empty(title, lang)
    names = [translate(f"segments.segment.{s}", lang) for s in summary["segment"]]
    colors = [SEGMENT_COLORS.get(s, "#7f7f7f") for s in summary["segment"]]
    customers_label = translate("segments.customers", lang)
    revenue_label = translate("segments.revenue", lang, cur=currency)
    fig = make_subplots(rows=1, cols=2, subplot_titles=(customers_label, revenue_label))
    fig.add_trace(
        go.Bar(
            name=customers_label,
            x=names,
            y=summary["customers"].astype("float64"),
            marker_color=colors,
            texttemplate="%{y:,.0f}",
            hovertemplate=f"%{{x}}<br>{customers_label}: %{{y:,.0f}}<extra></extra>",
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Bar(
            name=revenue_label,
            x=names,
            y=summary["revenue"].astype("float64"),
            marker_color=colors,
            texttemplate="%{y:,.0f}",
            hovertemplate=f"%{{x}}<br>{revenue_label}: %{{y:,.0f}}<extra></extra>",
        ),
        row=1,
        col=2,
    )
    fig.update_yaxes(tickformat=",.0f", rangemode="tozero")
    return _layout(fig, lang, title={"text": title}, showlegend=False)


def rfm_matrix(grid: pd.DataFrame, column: str = "customers") -> pd.DataFrame:
    """R score (rows, 5 on top) × F score (columns 1 … 5) of ``column``; a cell without
    customers is 0."""
    if grid.empty:
        return pd.DataFrame(0.0, index=list(reversed(SCORES)), columns=list(SCORES))
    matrix = grid.pivot_table(
        index="r_score", columns="f_score", values=column, aggfunc="sum"
    ).astype("float64")
    return matrix.reindex(index=list(reversed(SCORES)), columns=list(SCORES)).fillna(0.0)


def rfm_heatmap(grid: pd.DataFrame, currency: str, lang: str = "en") -> go.Figure:
    """The RFM grid: customers per recency score (rows) × frequency score (columns), the
    revenue of each cell on hover (``r_score, f_score, customers, revenue``)."""
    title = translate("segments.rfm_title", lang)
    if grid.empty:
        return _empty(title, lang)
    customers = rfm_matrix(grid, "customers")
    revenue = rfm_matrix(grid, "revenue")
    customers_label = translate("segments.customers", lang)
    revenue_label = translate("segments.revenue", lang, cur=currency)
    fig = go.Figure(
        go.Heatmap(
            z=_cells(customers),
            x=[f"F{f}" for f in customers.columns],
            y=[f"R{r}" for r in customers.index],
            customdata=_cells(revenue),
            colorscale=RFM_SCALE,
            texttemplate="%{z:,.0f}",
            colorbar={"thickness": 12},
            hovertemplate=(
                f"%{{y}} · %{{x}}<br>{customers_label}: %{{z:,.0f}}"
                f"<br>{revenue_label}: %{{customdata:,.0f}}<extra></extra>"
            ),
        )
    )
    fig.update_xaxes(title_text=translate("segments.f_axis", lang), side="top")
    fig.update_yaxes(title_text=translate("segments.r_axis", lang))
    return _layout(fig, lang, title={"text": title}, height=380)
