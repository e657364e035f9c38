"""Pure Plotly figure builders: a DataFrame in, a ``go.Figure`` out (no Streamlit)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative

PALETTE = qualitative.Plotly + qualitative.D3
MODEL_PALETTE = qualitative.Safe  # models get their own colours, apart from the channels'
GAIN_COLOR = "#00CC96"  # a channel credited with more than its share of spend
LOSS_COLOR = "#EF553B"
FUNNEL_STAGES = ("Visits", "Leads", "Won")
MIN_BUBBLE_PX = 8
MAX_BUBBLE_PX = 56


def channel_colors(channels: Iterable[str]) -> dict[str, str]:
    """A stable colour per channel, given the full channel list (so filters don't repaint)."""
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(sorted(set(channels)))}


def _color_list(names: Iterable[str], colors: Mapping[str, str] | None) -> list[str]:
    mapping = colors or channel_colors(names)
    return [mapping.get(n, "#7f7f7f") for n in names]


def _layout(fig: go.Figure, **kwargs: object) -> go.Figure:
    fig.update_layout(
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        **kwargs,
    )
    return fig


def _empty(title: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text="No data for these filters", showarrow=False, x=0.5, y=0.5)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, title={"text": title})


def _bubble_px(leads: float, max_leads: float) -> float:
    """Bubble diameter in px: area ∝ leads, and a channel with no leads still shows."""
    share = max(leads, 0.0) / max_leads if max_leads > 0 else 0.0
    return MIN_BUBBLE_PX + (MAX_BUBBLE_PX - MIN_BUBBLE_PX) * share**0.5


def cost_revenue_scatter(
    df: pd.DataFrame, currency: str, colors: Mapping[str, str] | None = None
) -> go.Figure:
    """Cost (x) vs revenue (y) per channel; bubble area ∝ leads; dashed break-even line.

    ``df`` has ``channel, cost, revenue, leads`` (one row per channel).
    """
    title = "Cost vs revenue by channel (bubble = leads)"
    if df.empty:
        return _empty(title)
    cost = df["cost"].astype("float64")
    revenue = df["revenue"].astype("float64")
    leads = df["leads"].astype("float64")
    channels = list(df["channel"])
    max_leads = float(leads.max()) or 1.0
    fig = go.Figure()
    for name, x, y, n, color in zip(
        channels, cost, revenue, leads, _color_list(channels, colors), strict=True
    ):
        fig.add_trace(
            go.Scatter(
                name=name,
                x=[x],
                y=[y],
                mode="markers",
                customdata=[[n]],
                marker={
                    "size": [_bubble_px(n, max_leads)],
                    "color": color,
                    "opacity": 0.75,
                    "line": {"width": 1, "color": "white"},
                },
                hovertemplate=(
                    f"<b>{name}</b><br>Cost %{{x:,.0f}} {currency}"
                    f"<br>Revenue %{{y:,.0f}} {currency}"
                    "<br>Leads %{customdata[0]:,.1f}<extra></extra>"
                ),
            )
        )
    top = float(max(cost.max(), revenue.max())) * 1.15 or 1.0
    pad = top * 0.04  # keep bubbles at 0 (free channels, no revenue) inside the plot
    fig.add_trace(
        go.Scatter(
            name="Break-even (revenue = cost)",
            x=[0, top],
            y=[0, top],
            mode="lines",
            line={"dash": "dash", "width": 1, "color": "#999999"},
            hoverinfo="skip",
        )
    )
    fig.update_xaxes(title_text=f"Cost, {currency}", range=[-pad, top], tickformat=",.0f")
    fig.update_yaxes(title_text=f"Revenue, {currency}", range=[-pad, top], tickformat=",.0f")
    return _layout(fig, title={"text": title}, legend_itemsizing="constant")


def cost_revenue_bars(df: pd.DataFrame, currency: str) -> go.Figure:
    """Grouped bars of cost and revenue per channel (``channel, cost, revenue``)."""
    title = f"Cost and revenue by channel, {currency}"
    if df.empty:
        return _empty(title)
    channels = list(df["channel"])
    fig = go.Figure(
        [
            go.Bar(
                name="Cost",
                x=channels,
                y=df["cost"].astype("float64"),
                marker_color="#EF553B",
                hovertemplate=f"%{{x}}<br>Cost %{{y:,.0f}} {currency}<extra></extra>",
            ),
            go.Bar(
                name="Revenue",
                x=channels,
                y=df["revenue"].astype("float64"),
                marker_color="#00CC96",
                hovertemplate=f"%{{x}}<br>Revenue %{{y:,.0f}} {currency}<extra></extra>",
            ),
        ]
    )
    fig.update_yaxes(title_text=currency, tickformat=",.0f")
    return _layout(fig, title={"text": title}, barmode="group")


def funnel_chart(df: pd.DataFrame) -> go.Figure:
    """Visits → Leads → Won summed over the channels in ``df`` (``visits, leads, deals_won``),
    each stage labelled with its value and its share of the stage before."""
    title = "Funnel: visits → leads → won"
    if df.empty:
        return _empty(title)
    values = [float(df[c].astype("float64").sum()) for c in ("visits", "leads", "deals_won")]
    fig = go.Figure(
        go.Funnel(
            name="Selected channels",
            y=list(FUNNEL_STAGES),
            x=values,
            textposition="auto",
            texttemplate=[
                "%{value:,.1~f}",
                "%{value:,.1~f} · %{percentPrevious:.1%} of visits",
                "%{value:,.1~f} · %{percentPrevious:.1%} of leads",
            ],
            marker={"color": ["#636EFA", "#AB63FA", "#00CC96"]},
            connector={"line": {"width": 0}},
            hovertemplate="%{y}: %{x:,.1~f}<br>%{percentPrevious:.1%} of previous stage"
            "<br>%{percentInitial:.2%} of visits<extra></extra>",
        )
    )
    return _layout(fig, title={"text": title})


def conversion_bars(df: pd.DataFrame) -> go.Figure:
    """Conversion rates per channel: visit → lead and lead → won, side by side.

    ``df`` has ``channel, cr_visit_lead, cr_lead_won`` (NaN where the stage before is 0: no bar).
    """
    title = "Conversion by channel"
    if df.empty:
        return _empty(title)
    channels = list(df["channel"])
    fig = go.Figure()
    for column, label, color in (
        ("cr_visit_lead", "Visit → lead", "#AB63FA"),
        ("cr_lead_won", "Lead → won", "#00CC96"),
    ):
        fig.add_trace(
            go.Bar(
                name=label,
                x=channels,
                y=df[column].astype("float64"),
                marker_color=color,
                hovertemplate=f"%{{x}}<br>{label}: %{{y:.2%}}<extra></extra>",
            )
        )
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    return _layout(fig, title={"text": title}, barmode="group")


def model_colors(models: Sequence[str]) -> dict[str, str]:
    """A colour per model, by its place in ``models`` (publish_meta order: stable per snapshot)."""
    return {m: MODEL_PALETTE[i % len(MODEL_PALETTE)] for i, m in enumerate(models)}


def _label(labels: Mapping[str, str] | None, model: str) -> str:
    return (labels or {}).get(model, model)


def model_credit_bars(
    df: pd.DataFrame,
    models: Sequence[str],
    measure_label: str,
    labels: Mapping[str, str] | None = None,
    colors: Mapping[str, str] | None = None,
    value_format: str = ",.1~f",
) -> go.Figure:
    """Grouped bars: each channel's credit under each model (one trace per model).

    ``df`` has ``channel`` and one column per model (``metrics.credit_by_model`` without its
    Total row); ``labels`` maps a model to its display name, ``colors`` to its colour.
    """
    title = f"{measure_label} by channel under each model"
    if df.empty:
        return _empty(title)
    channels = list(df["channel"])
    colors = {**model_colors(models), **(colors or {})}
    fig = go.Figure()
    for model in models:
        name = _label(labels, model)
        fig.add_trace(
            go.Bar(
                name=name,
                x=channels,
                y=df[model].astype("float64"),
                marker_color=colors[model],
                hovertemplate=f"%{{x}}<br>{name}: %{{y:{value_format}}}<extra></extra>",
            )
        )
    fig.update_yaxes(title_text=measure_label, tickformat=",~f", rangemode="tozero")
    return _layout(fig, title={"text": title}, barmode="group")


def budget_shift_bars(df: pd.DataFrame, model_label: str) -> go.Figure:
    """Diverging horizontal bars: revenue share − cost share per channel, in percentage points
    (right and green: the model credits the channel with more than its share of spend).

    ``df`` has ``channel, cost_share, revenue_share, shift_pp`` (NaN shift: no bar).
    """
    title = f"Budget shift under {model_label}: revenue share − cost share"
    if df.empty:
        return _empty(title)
    shift = df["shift_pp"].astype("float64")
    fig = go.Figure(
        go.Bar(
            name=model_label,
            orientation="h",
            y=list(df["channel"]),
            x=shift,
            marker_color=[GAIN_COLOR if v > 0 else LOSS_COLOR for v in shift.fillna(0)],
            customdata=df[["cost_share", "revenue_share"]].astype("float64").to_numpy(),
            texttemplate="%{x:+.1f} pp",
            textposition="auto",
            hovertemplate=(
                "<b>%{y}</b><br>Shift %{x:+.1f} pp<br>Cost share %{customdata[0]:.1%}"
                "<br>Revenue share %{customdata[1]:.1%}<extra></extra>"
            ),
        )
    )
    reach = float(shift.abs().max()) if shift.notna().any() else 0.0
    reach = (reach or 1.0) * 1.15
    fig.update_xaxes(
        title_text="Percentage points",
        range=[-reach, reach],
        zeroline=True,
        zerolinewidth=2,
        zerolinecolor="#999999",
        ticksuffix=" pp",
    )
    fig.update_yaxes(autorange="reversed")  # the table's order, top to bottom
    height = max(300, 140 + 44 * len(df))  # bars keep their thickness as channels are added
    return _layout(fig, title={"text": title}, showlegend=False, height=height)


def misallocation_bars(
    df: pd.DataFrame,
    labels: Mapping[str, str] | None = None,
    colors: Mapping[str, str] | None = None,
) -> go.Figure:
    """One bar per model: the share of leads it credits to the wrong channel, against the
    planted truth (``attribution_model, misallocated_share``, best first)."""
    title = "Share of leads credited to the wrong channel (lower is better)"
    if df.empty:
        return _empty(title)
    models = list(df["attribution_model"])
    colors = {**model_colors(models), **(colors or {})}
    fig = go.Figure(
        go.Bar(
            name="Misallocated share",
            x=[_label(labels, m) for m in models],
            y=df["misallocated_share"].astype("float64"),
            marker_color=[colors[m] for m in models],
            texttemplate="%{y:.1%}",
            textposition="auto",
            hovertemplate="%{x}: %{y:.1%} of leads misallocated<extra></extra>",
        )
    )
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    return _layout(fig, title={"text": title}, showlegend=False)
