"""Funnel: visits → lead → each CRM stage → won per channel, and its conversions.

Stage counts come from ``fct_funnel_stages`` (one row per created_date × model × channel × pipeline
× stage, the model's credit of the deals that reached the stage; see its YAML for the reach rule and
the stage order); visits from ``fct_funnel_daily``. The step math below is pure: a conversion is
the step's count over the step before, NULL (NaN, "—") when that is 0; the change vs the previous
period is in percentage points, NULL when either side is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from dashboards import data, metrics

STAGES_TABLE = "fct_funnel_stages"
ALL = "__all__"  # the pickers' "every pipeline" / "every selected channel" option
# The funnel's steps by kind, in order; 'lost' is in the mart but not a funnel step.
STEP_KINDS = ("visit", "lead", "stage", "won")
KEY = ["stage_kind", "stage"]  # a step: CRM stages by name, the others by kind
STEP_COLUMNS = [
    "channel",
    "step",
    "stage_kind",
    "stage",
    "deals",
    "conversion",
    "drop_off",
    "drop_off_share",
]


def _channel_list(channels: Sequence[str] | None) -> tuple[str, ...] | None:
    return tuple(channels) if channels else None


# --- queries ----------------------------------------------------------------------------------


def pipelines(
    snapshot: data.Snapshot,
    start: dt.date,
    end: dt.date,
    model: str,
    channels: Sequence[str] | None = None,
) -> list[str]:
    """The pipelines with leads in ``[start, end]``, most leads first."""
    sql = f"""
        select pipeline, sum(deals) as leads
        from {STAGES_TABLE}
        where attribution_model = ?
          and created_date between ? and ?
          and stage_kind = 'lead'
          and (?::varchar[] is null or list_contains(?::varchar[], channel))
        group by pipeline
        having sum(deals) > 0
        order by leads desc, pipeline
    """
    chosen = _channel_list(channels)
    return list(data.query(snapshot, sql, (model, start, end, chosen, chosen))["pipeline"])


def stage_counts(
    snapshot: data.Snapshot,
    start: dt.date,
    end: dt.date,
    model: str,
    channels: Sequence[str] | None = None,
    pipeline: str | None = None,
) -> pd.DataFrame:
    """Per channel and funnel step (lead, the CRM stages, won): the credited deals that reached
    it over ``[start, end]``, and the part of them without stage history.

    ``pipeline=None`` adds the pipelines up: CRM stages of the same name are one step, placed by
    their latest order in any pipeline (a pipeline with fewer stages does not pull a shared stage
    forward), then by name. ``step_order`` is that order (lead first, won last).
    """
    sql = f"""
        with picked as (
            select channel, stage_kind, stage, stage_order, deals, deals_without_history
            from {STAGES_TABLE}
            where attribution_model = ?
              and created_date between ? and ?
              and stage_kind <> 'lost'
              and (?::varchar[] is null or list_contains(?::varchar[], channel))
              and (?::varchar is null or pipeline = ?)
        ),

        steps as (
            select
                stage_kind,
                stage,
                case stage_kind when 'lead' then 0 when 'stage' then 1 else 2 end as kind_rank,
                max(stage_order) as stage_order
            from picked
            group by stage_kind, stage
        ),

        ordered as (
            select
                stage_kind,
                stage,
                row_number() over (order by kind_rank, stage_order, stage) as step_order
            from steps
        )

        select
            picked.channel,
            picked.stage_kind,
            picked.stage,
            ordered.step_order,
            coalesce(sum(picked.deals), 0)::double as deals,
            coalesce(sum(picked.deals_without_history), 0)::double as deals_without_history
        from picked
        inner join ordered
            on picked.stage_kind = ordered.stage_kind and picked.stage = ordered.stage
        group by picked.channel, picked.stage_kind, picked.stage, ordered.step_order
        order by picked.channel, ordered.step_order
    """
    chosen = _channel_list(channels)
    return data.query(snapshot, sql, (model, start, end, chosen, chosen, pipeline, pipeline))


# --- step math (pure) -------------------------------------------------------------------------


def _div(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    den = denominator.astype("float64")
    return (numerator.astype("float64") / den.where(den != 0)).astype("float64")


def channel_order(visits: pd.DataFrame, stages: pd.DataFrame) -> list[str]:
    """Channels with visits or leads, most leads first, then most visits, then by name."""
    leads = stages[stages["stage_kind"] == "lead"].groupby("channel")["deals"].sum()
    seen = visits.groupby("channel")["visits"].sum()
    frame = pd.DataFrame({"leads": leads, "visits": seen}).fillna(0.0)
    frame = frame[(frame["leads"] != 0) | (frame["visits"] != 0)].rename_axis("channel")
    ordered = frame.reset_index().sort_values(
        ["leads", "visits", "channel"], ascending=[False, False, True], kind="stable"
    )
    return list(ordered["channel"])


def step_list(stages: pd.DataFrame) -> pd.DataFrame:
    """The funnel's steps in order (``stage_kind, stage``): visit, lead, the CRM stages, won."""
    known = (
        stages[["stage_kind", "stage", "step_order"]]
        .drop_duplicates(KEY)
        .sort_values("step_order", kind="stable")
    )
    head = pd.DataFrame({"stage_kind": ["visit", "lead"], "stage": ["visit", "lead"]})
    tail = pd.DataFrame({"stage_kind": ["won"], "stage": ["won"]})
    middle = known[known["stage_kind"] == "stage"][KEY]
    return pd.concat([head, middle, tail], ignore_index=True)


def counts(
    visits: pd.DataFrame,
    stages: pd.DataFrame,
    channels: Sequence[str],
    steps: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Long ``channel, step, stage_kind, stage, deals``: every step (``steps``, by default
    ``step_list(stages)``) for every channel, 0 where nothing reached it; visits first."""
    steps = step_list(stages) if steps is None else steps
    grid = pd.DataFrame(
        [(c, i, k, s) for c in channels for i, (k, s) in enumerate(steps[KEY].itertuples(False))],
        columns=["channel", "step", "stage_kind", "stage"],
    )
    visit_rows = (
        visits.groupby("channel", as_index=False)["visits"]
        .sum()
        .rename(columns={"visits": "deals"})
        .assign(stage_kind="visit", stage="visit")
    )
    reached = stages.groupby(["channel", *KEY], as_index=False)["deals"].sum()
    values = pd.concat([visit_rows, reached], ignore_index=True)
    out = grid.merge(values, on=["channel", *KEY], how="left")
    out["deals"] = out["deals"].astype("float64").fillna(0.0)
    return out


def with_conversions(df: pd.DataFrame) -> pd.DataFrame:
    """Add each step's conversion from the step before (NaN for the first step and where the
    step before is 0), its drop-off (count lost, NaN likewise) and drop-off share."""
    out = df.sort_values(["channel", "step"], kind="stable").copy()
    before = out.groupby("channel", sort=False)["deals"].shift(1)
    out["conversion"] = _div(out["deals"], before)
    out["drop_off"] = (before - out["deals"]).where(before != 0)
    out["drop_off_share"] = _div(before - out["deals"], before)
    return out.reset_index(drop=True)


def total(df: pd.DataFrame, label: str) -> pd.DataFrame:
    """The channels of ``counts`` added up into one channel named ``label``."""
    summed = df.groupby(["step", *KEY], as_index=False, sort=True)["deals"].sum()
    return summed.assign(channel=label)[["channel", "step", *KEY, "deals"]]


def with_change(current: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """Add ``conversion_prev`` (the same step's conversion in the previous period, NaN when there
    is none) and ``change_pp`` = (conversion − conversion_prev) × 100, percentage points."""
    out = current.copy()
    if previous is None or previous.empty:
        out["conversion_prev"] = np.nan
    else:
        prev = previous[["channel", *KEY, "conversion"]].rename(
            columns={"conversion": "conversion_prev"}
        )
        out = out.merge(prev, on=["channel", *KEY], how="left")
    out["conversion_prev"] = out["conversion_prev"].astype("float64")
    out["change_pp"] = (out["conversion"] - out["conversion_prev"]) * 100
    return out


def funnel_table(
    visits: pd.DataFrame,
    stages: pd.DataFrame,
    total_label: str,
    previous: tuple[pd.DataFrame, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """The page's table: one row per channel × step (the total of all channels first), with the
    count, conversion, drop-off and the change of the conversion vs ``previous``
    (``(visits, stages)`` of the period before; None = no comparable period).

    ``visits`` has ``channel, visits``; ``stages`` is ``stage_counts``. The previous period is
    laid on this period's steps and channels, so the rows line up (a step it lacks counts 0).
    """
    channels = channel_order(visits, stages)
    if not channels:
        return pd.DataFrame(columns=[*STEP_COLUMNS, "conversion_prev", "change_pp"])
    steps = step_list(stages)

    def build(v: pd.DataFrame, s: pd.DataFrame) -> pd.DataFrame:
        by_channel = counts(v, s, channels, steps)
        return with_conversions(pd.concat([total(by_channel, total_label), by_channel]))

    prev = build(*previous) if previous is not None else None
    out = with_change(build(visits, stages), prev)
    rank = {name: i for i, name in enumerate([total_label, *channels])}
    out = out.assign(_rank=out["channel"].map(rank)).sort_values(["_rank", "step"])
    return out.reset_index(drop=True)[[*STEP_COLUMNS, "conversion_prev", "change_pp"]]


def one_channel(table: pd.DataFrame, channel: str) -> pd.DataFrame:
    """The rows of one channel (or of the total) of ``funnel_table``, in step order."""
    return table[table["channel"] == channel].reset_index(drop=True)


def without_history_share(stages: pd.DataFrame) -> float | None:
    """The share of leads with no CRM stage history (None without leads)."""
    leads = stages[stages["stage_kind"] == "lead"]
    return metrics.ratio(leads["deals_without_history"].sum(), leads["deals"].sum())
