"""Pure Plotly figure builders: a DataFrame in, a ``go.Figure`` out (no Streamlit)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative

PALETTE = qualitative.Plotly + qualitative.D3
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
