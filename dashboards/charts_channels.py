"""Figure builders of the Channels & campaigns page: pure, a DataFrame in, a go.Figure out."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboards import metrics
from dashboards.charts import COST_COLOR, REVENUE_COLOR, _empty, _layout
from dashboards.messages import translate

MAX_ROWS = 20  # more bars than this stop being readable on a phone
ROW_PX = 46  # height per row: a pair of bars keeps its thickness as rows are added


def cost_revenue_rows(
    df: pd.DataFrame,
    level_label: str,
    currency: str,
    lang: str = "en",
    max_rows: int = MAX_ROWS,
) -> go.Figure:
    """Horizontal bars of cost and revenue per row of the table, in the table's order (top to
    bottom), the first ``max_rows`` only; the hover adds the row's ROI ("—" when undefined).

    ``df`` has ``name, cost, revenue, roi`` (one row per channel, source or campaign).
    """
    title = translate("channels.chart_title", lang, level=level_label, cur=currency)
    if df.empty:
        return _empty(title, lang)
    shown = df.head(max_rows)
    names = list(shown["name"])
    roi_text = [metrics.fmt_pct(v, lang=lang) for v in shown["roi"].astype("float64")]
    roi_label = translate("channels.chart_roi", lang)
    fig = go.Figure()
    for column, color in (("cost", COST_COLOR), ("revenue", REVENUE_COLOR)):
        label = translate(f"chart.{column}", lang)
        fig.add_trace(
            go.Bar(
                name=label,
                orientation="h",
                y=names,
                x=shown[column].astype("float64"),
                marker_color=color,
                customdata=roi_text,
                hovertemplate=(
                    f"<b>%{{y}}</b><br>{label} %{{x:,.0f}} {currency}"
                    f"<br>{roi_label} %{{customdata}}<extra></extra>"
                ),
            )
        )
    fig.update_xaxes(title_text=currency, tickformat=",.0f", rangemode="tozero")
    fig.update_yaxes(autorange="reversed", automargin=True)  # the table's order, top to bottom
    height = max(320, 150 + ROW_PX * len(shown))
    return _layout(fig, lang, title={"text": title}, barmode="group", height=height)
