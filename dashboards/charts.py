"""Pure Plotly figure builders: a DataFrame in, a ``go.Figure`` out (no Streamlit)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from dashboards.formats import plotly_separators
from dashboards.messages import translate

PALETTE = qualitative.Plotly + qualitative.D3
MODEL_PALETTE = qualitative.Safe  # models get their own colours, apart from the channels'
GAIN_COLOR = "#00CC96"  # a channel credited with more than its share of spend
LOSS_COLOR = "#EF553B"
FUNNEL_STAGES = ("chart.stage_visits", "chart.stage_leads", "chart.stage_won")
COST_COLOR = "#EF553B"
REVENUE_COLOR = "#00CC96"
LEADS_COLOR = "#AB63FA"
MIN_BUBBLE_PX = 8
MAX_BUBBLE_PX = 56


def channel_colors(channels: Iterable[str]) -> dict[str, str]:
    """A stable colour per channel, given the full channel list (so filters don't repaint)."""
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(sorted(set(channels)))}


def _color_list(names: Iterable[str], colors: Mapping[str, str] | None) -> list[str]:
    mapping = colors or channel_colors(names)
    return [mapping.get(n, "#7f7f7f") for n in names]


def _layout(fig: go.Figure, lang: str = "en", **kwargs: object) -> go.Figure:
    fig.update_layout(
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        separators=plotly_separators(lang),  # 1,234.5 or 1 234,5 on axes and labels
        **kwargs,
    )
    return fig


def _empty(title: str, lang: str = "en") -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=translate("chart.no_data", lang), showarrow=False, x=0.5, y=0.5)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, lang, title={"text": title})


def _bubble_px(leads: float, max_leads: float) -> float:
    """Bubble diameter in px: area ∝ leads, and a channel with no leads still shows."""
    share = max(leads, 0.0) / max_leads if max_leads > 0 else 0.0
    return MIN_BUBBLE_PX + (MAX_BUBBLE_PX - MIN_BUBBLE_PX) * share**0.5


def cost_revenue_scatter(
    df: pd.DataFrame, currency: str, colors: Mapping[str, str] | None = None, lang: str = "en"
) -> go.Figure:
    """Cost (x) vs revenue (y) per channel; bubble area ∝ leads; dashed break-even line.

    ``df`` has ``channel, cost, revenue, leads`` (one row per channel).
    """
    title = translate("chart.scatter_title", lang)
    cost_label, revenue_label = translate("chart.cost", lang), translate("chart.revenue", lang)
    if df.empty:
        return _empty(title, lang)
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
                    f"<b>{name}</b><br>{cost_label} %{{x:,.0f}} {currency}"
                    f"<br>{revenue_label} %{{y:,.0f}} {currency}"
                    f"<br>{translate('chart.leads', lang)} %{{customdata[0]:,.1f}}<extra></extra>"
                ),
            )
        )
    top = float(max(cost.max(), revenue.max())) * 1.15 or 1.0
    pad = top * 0.04  # keep bubbles at 0 (free channels, no revenue) inside the plot
    fig.add_trace(
        go.Scatter(
            name=translate("chart.break_even", lang),
            x=[0, top],
            y=[0, top],
            mode="lines",
            line={"dash": "dash", "width": 1, "color": "#999999"},
            hoverinfo="skip",
        )
    )
    fig.update_xaxes(title_text=f"{cost_label}, {currency}", range=[-pad, top], tickformat=",.0f")
    fig.update_yaxes(
        title_text=f"{revenue_label}, {currency}", range=[-pad, top], tickformat=",.0f"
    )
    return _layout(fig, lang, title={"text": title}, legend_itemsizing="constant")


def cost_revenue_bars(df: pd.DataFrame, currency: str, lang: str = "en") -> go.Figure:
    """Grouped bars of cost and revenue per channel (``channel, cost, revenue``)."""
    title = translate("chart.bars_title", lang, cur=currency)
    if df.empty:
        return _empty(title, lang)
    channels = list(df["channel"])
    fig = go.Figure(
        [
            go.Bar(
                name=(name := translate(f"chart.{column}", lang)),
                x=channels,
                y=df[column].astype("float64"),
                marker_color=color,
                hovertemplate=f"%{{x}}<br>{name} %{{y:,.0f}} {currency}<extra></extra>",
            )
            for column, color in (("cost", COST_COLOR), ("revenue", REVENUE_COLOR))
        ]
    )
    fig.update_yaxes(title_text=currency, tickformat=",.0f")
    return _layout(fig, lang, title={"text": title}, barmode="group")


def funnel_chart(df: pd.DataFrame, lang: str = "en") -> go.Figure:
    """Visits → Leads → Won summed over the channels in ``df`` (``visits, leads, deals_won``),
    each stage labelled with its value and its share of the stage before."""
    title = translate("chart.funnel_title", lang)
    if df.empty:
        return _empty(title, lang)
    of_visits, of_leads = translate("chart.of_visits", lang), translate("chart.of_leads", lang)
    values = [float(df[c].astype("float64").sum()) for c in ("visits", "leads", "deals_won")]
    fig = go.Figure(
        go.Funnel(
            name=translate("chart.selected_channels", lang),
            y=[translate(stage, lang) for stage in FUNNEL_STAGES],
            x=values,
            textposition="auto",
            texttemplate=[
                "%{value:,.1~f}",
                f"%{{value:,.1~f}} · %{{percentPrevious:.1%}} {of_visits}",
                f"%{{value:,.1~f}} · %{{percentPrevious:.1%}} {of_leads}",
            ],
            marker={"color": ["#636EFA", "#AB63FA", "#00CC96"]},
            connector={"line": {"width": 0}},
            hovertemplate="%{y}: %{x:,.1~f}<br>%{percentPrevious:.1%} "
            f"{translate('chart.of_previous', lang)}"
            f"<br>%{{percentInitial:.2%}} {of_visits}<extra></extra>",
        )
    )
    return _layout(fig, lang, title={"text": title})


def conversion_bars(df: pd.DataFrame, lang: str = "en") -> go.Figure:
    """Conversion rates per channel: visit → lead and lead → won, side by side.

    ``df`` has ``channel, cr_visit_lead, cr_lead_won`` (NaN where the stage before is 0: no bar).
    """
    title = translate("chart.conversion_title", lang)
    if df.empty:
        return _empty(title, lang)
    channels = list(df["channel"])
    fig = go.Figure()
    for column, label, color in (
        ("cr_visit_lead", translate("chart.visit_lead", lang), LEADS_COLOR),
        ("cr_lead_won", translate("chart.lead_won", lang), REVENUE_COLOR),
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
    return _layout(fig, lang, title={"text": title}, barmode="group")


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
    lang: str = "en",
) -> go.Figure:
    """Grouped bars: each channel's credit under each model (one trace per model).

    ``df`` has ``channel`` and one column per model (``metrics.credit_by_model`` without its
    Total row); ``labels`` maps a model to its display name, ``colors`` to its colour.
    """
    title = translate("chart.credit_title", lang, measure=measure_label)
    if df.empty:
        return _empty(title, lang)
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
    return _layout(fig, lang, title={"text": title}, barmode="group")


def budget_shift_bars(df: pd.DataFrame, model_label: str, lang: str = "en") -> go.Figure:
    """Diverging horizontal bars: revenue share − cost share per channel, in percentage points
    (right and green: the model credits the channel with more than its share of spend).

    ``df`` has ``channel, cost_share, revenue_share, shift_pp`` (NaN shift: no bar).
    """
    title = translate("chart.shift_title", lang, model=model_label)
    if df.empty:
        return _empty(title, lang)
    shift = df["shift_pp"].astype("float64")
    pp = translate("chart.pp", lang)
    cost_share = translate("col.cost_share", lang)
    revenue_share = translate("col.revenue_share", lang)
    fig = go.Figure(
        go.Bar(
            name=model_label,
            orientation="h",
            y=list(df["channel"]),
            x=shift,
            marker_color=[GAIN_COLOR if v > 0 else LOSS_COLOR for v in shift.fillna(0)],
            customdata=df[["cost_share", "revenue_share"]].astype("float64").to_numpy(),
            texttemplate=f"%{{x:+.1f}} {pp}",
            textposition="auto",
            hovertemplate=(
                f"<b>%{{y}}</b><br>{translate('chart.shift', lang)} %{{x:+.1f}} {pp}"
                f"<br>{cost_share} %{{customdata[0]:.1%}}"
                f"<br>{revenue_share} %{{customdata[1]:.1%}}<extra></extra>"
            ),
        )
    )
    reach = float(shift.abs().max()) if shift.notna().any() else 0.0
    reach = (reach or 1.0) * 1.15
    fig.update_xaxes(
        title_text=translate("chart.percentage_points", lang),
        range=[-reach, reach],
        zeroline=True,
        zerolinewidth=2,
        zerolinecolor="#999999",
        ticksuffix=f" {pp}",
    )
    fig.update_yaxes(autorange="reversed")  # the table's order, top to bottom
    height = max(300, 140 + 44 * len(df))  # bars keep their thickness as channels are added
    return _layout(fig, lang, title={"text": title}, showlegend=False, height=height)


def misallocation_bars(
    df: pd.DataFrame,
    labels: Mapping[str, str] | None = None,
    colors: Mapping[str, str] | None = None,
    lang: str = "en",
) -> go.Figure:
    """One bar per model: the share of leads it credits to the wrong channel, against the
    planted truth (``attribution_model, misallocated_share``, best first)."""
    title = translate("chart.misallocation_title", lang)
    if df.empty:
        return _empty(title, lang)
    models = list(df["attribution_model"])
    colors = {**model_colors(models), **(colors or {})}
    fig = go.Figure(
        go.Bar(
            name=translate("chart.misallocated", lang),
            x=[_label(labels, m) for m in models],
            y=df["misallocated_share"].astype("float64"),
            marker_color=[colors[m] for m in models],
            texttemplate="%{y:.1%}",
            textposition="auto",
            hovertemplate=f"%{{x}}: %{{y:.1%}} {translate('chart.misallocated_hover', lang)}"
            "<extra></extra>",
        )
    )
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    return _layout(fig, lang, title={"text": title}, showlegend=False)


def trend_lines(df: pd.DataFrame, currency: str, grain: str = "day", lang: str = "en") -> go.Figure:
    """Cost and revenue (top, in ``currency``) and leads (bottom) per ``period``, one line each.

    ``df`` has ``period, cost, revenue, leads`` (one row per day or week, oldest first);
    ``grain`` is ``day`` or ``week`` (the title and the hover's date format).
    """
    title = translate("chart.trend_title", lang, grain=translate(f"chart.grain_{grain}", lang))
    if df.empty:
        return _empty(title, lang)
    fig = make_subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=[0.65, 0.35], vertical_spacing=0.06
    )
    periods = pd.to_datetime(df["period"])
    for column, color, row, unit, value_format in (
        ("cost", COST_COLOR, 1, f" {currency}", ",.0f"),
        ("revenue", REVENUE_COLOR, 1, f" {currency}", ",.0f"),
        ("leads", LEADS_COLOR, 2, "", ",.1~f"),
    ):
        name = translate(f"chart.{column}", lang)
        fig.add_trace(
            go.Scatter(
                name=name,
                x=periods,
                y=df[column].astype("float64"),
                mode="lines+markers",
                line={"color": color, "width": 2},
                marker={"size": 5},
                hovertemplate=f"{name} %{{y:{value_format}}}{unit}<extra></extra>",
            ),
            row=row,
            col=1,
        )
    fig.update_yaxes(title_text=currency, tickformat=",.0f", rangemode="tozero", row=1, col=1)
    fig.update_yaxes(
        title_text=translate("chart.leads", lang), tickformat=",~f", rangemode="tozero", row=2
    )
    ru = lang == "ru"
    fig.update_xaxes(
        tickformat="%d.%m" if ru else "%b %d", hoverformat="%d.%m.%Y" if ru else "%Y-%m-%d"
    )
    return _layout(fig, lang, title={"text": title}, hovermode="x unified", height=460)
