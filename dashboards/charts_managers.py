"""Figure builders of the Managers page, pure (a DataFrame in, a ``go.Figure`` out)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboards.charts import _empty, _layout
from dashboards.messages import translate
from dashboards.metrics import fmt_pct

WON_COLOR = "#00CC96"
LOST_COLOR = "#EF553B"
OPEN_COLOR = "#B6B6B6"
OUTCOMES = (("deals_won", WON_COLOR), ("deals_lost", LOST_COLOR), ("deals_open", OPEN_COLOR))


def deal_outcome_bars(df: pd.DataFrame, lang: str = "en") -> go.Figure:
    """Per manager, a horizontal bar of the deals they got, split into won, lost and still open
    (``manager, deals_won, deals_lost, deals_open``, in the order to show, first on top); the
    hover adds the win rate (``win_rate``, "—" when nothing closed)."""
    title = translate("managers.chart_title", lang)
    if df.empty:
        return _empty(title, lang)
    managers = list(df["manager"])
    rates = [fmt_pct(r, lang=lang) for r in df["win_rate"].astype("float64")]
    win_rate = translate("managers.col.win_rate", lang)
    fig = go.Figure(
        [
            go.Bar(
                name=(name := translate(f"managers.chart.{column}", lang)),
                y=managers,
                x=df[column].astype("float64"),
                orientation="h",
                marker_color=color,
                customdata=rates,
                hovertemplate=f"%{{y}}<br>{name}: %{{x:,.0f}}<br>{win_rate}: %{{customdata}}"
                "<extra></extra>",
            )
            for column, color in OUTCOMES
        ]
    )
    fig.update_yaxes(autorange="reversed", automargin=True)  # the table's order, top down
    fig.update_xaxes(tickformat=",.0f")
    fig = _layout(fig, lang, title={"text": title}, barmode="stack", height=220 + 32 * len(df))
    fig.update_layout(legend_traceorder="normal")  # won, lost, open: as the bars read
    return fig
