"""Figure builders of the Funnel page's stage funnel, pure (a DataFrame in, a ``go.Figure`` out).

Both take one channel's rows of ``data_funnel.funnel_table`` (``stage_kind, stage, deals,
conversion, conversion_prev, change_pp``, in step order).
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from dashboards.charts import _empty, _layout
from dashboards.formats import localize
from dashboards.messages import translate
from dashboards.metrics import EMPTY

KIND_COLORS = {"visit": "#636EFA", "lead": "#AB63FA", "stage": "#7F8FA6", "won": "#00CC96"}
PREVIOUS_COLOR = "#B6B6B6"


def step_label(stage_kind: str, stage: str, lang: str = "en") -> str:
    """What a step is called: visits, leads and won in ``lang``; a CRM stage by its own name."""
    if stage_kind == "stage":
        return str(stage)
    return translate(f"funnel.step.{stage_kind}", lang)


def step_labels(df: pd.DataFrame, lang: str = "en") -> list[str]:
    return [step_label(k, s, lang) for k, s in zip(df["stage_kind"], df["stage"], strict=True)]


def transition_labels(df: pd.DataFrame, lang: str = "en") -> list[str]:
    """``Leads → new`` for every step but the first (the step before → this step)."""
    names = step_labels(df, lang)
    return [f"{before} → {after}" for before, after in zip(names, names[1:], strict=False)]


def fmt_pp(value: float | None, lang: str = "en") -> str:
    """``+16.7 pp`` / ``+16,7 п.п.``; "—" when undefined."""
    if value is None or math.isnan(value):
        return EMPTY
    return f"{localize(f'{value:+,.1f}', lang)} {translate('chart.pp', lang)}"


def stage_funnel(
    df: pd.DataFrame, channel: str, lang: str = "en", include_visits: bool = True
) -> go.Figure:
    """The funnel of one channel: each step's count, its share of the step before and of the
    first step shown. ``include_visits=False`` starts at leads (visits dwarf the deal stages)."""
    title = translate("funnel.chart_title", lang, channel=channel)
    shown = df if include_visits else df[df["stage_kind"] != "visit"]
    if shown.empty or not shown["deals"].astype("float64").any():
        return _empty(title, lang)
    of_previous, of_first = (
        translate("funnel.of_previous", lang),
        translate("funnel.of_first", lang),
    )
    fig = go.Figure(
        go.Funnel(
            name=channel,
            y=step_labels(shown, lang),
            x=shown["deals"].astype("float64").tolist(),
            textposition="auto",
            texttemplate=["%{value:,.1~f}"]
            + ["%{value:,.1~f} · %{percentPrevious:.1%}"] * (len(shown) - 1),
            marker={"color": [KIND_COLORS[k] for k in shown["stage_kind"]]},
            connector={"line": {"width": 0}},
            hovertemplate=f"%{{y}}: %{{x:,.1~f}}<br>%{{percentPrevious:.1%}} {of_previous}"
            f"<br>%{{percentInitial:.1%}} {of_first}<extra></extra>",
        )
    )
    return _layout(fig, lang, title={"text": title})


def conversion_change_bars(df: pd.DataFrame, channel: str, lang: str = "en") -> go.Figure:
    """Each transition's conversion this period beside the previous period's, labelled with the
    change in percentage points (no label where it is undefined). A conversion that is undefined
    ("—") has no bar; without a previous period there are no grey bars."""
    title = translate("funnel.conversion_title", lang, channel=channel)
    steps = df.iloc[1:]  # the first step has no step before it
    if steps.empty or steps["conversion"].isna().all():
        return _empty(title, lang)
    x = transition_labels(df, lang)
    current = steps["conversion"].astype("float64")
    previous = steps["conversion_prev"].astype("float64")
    this_name = translate("funnel.this_period", lang)
    prev_name = translate("funnel.previous_period", lang)
    traces = [
        go.Bar(
            name=this_name,
            x=x,
            y=current.tolist(),
            marker_color=KIND_COLORS["lead"],
            # the change above each bar; none where it is undefined (the table shows "—")
            text=[
                "" if (label := fmt_pp(v, lang)) == EMPTY else label
                for v in steps["change_pp"].astype("float64")
            ],
            textposition="outside",
            hovertemplate=f"%{{x}}<br>{this_name}: %{{y:.1%}} (%{{text}})<extra></extra>",
        )
    ]
    if previous.notna().any():
        traces.append(
            go.Bar(
                name=prev_name,
                x=x,
                y=previous.tolist(),
                marker_color=PREVIOUS_COLOR,
                hovertemplate=f"%{{x}}<br>{prev_name}: %{{y:.1%}}<extra></extra>",
            )
        )
    fig = go.Figure(traces)
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    return _layout(fig, lang, title={"text": title}, barmode="group")
