"""The same question two other ways: last-touch credit and cost per channel and day, from files.

    python -m bench.baselines duckdb|pandas DROP OUT.parquet

``duckdb`` runs bench/last_touch.sql (one hand-written query: the engine's floor); ``pandas``
is what an analyst would write in a notebook. Each prints {"seconds": ...} for its own work,
imports and start-up excluded; bench/__main__.py measures the process around it.
"""

from __future__ import annotations

import json
import re
import sys
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import duckdb
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "dbt_project" / "seeds"
TZ = "Europe/Moscow"
LOOKBACK = pd.Timedelta(days=30)


def hand_sql(drop: Path) -> str:
    text = (Path(__file__).with_name("last_touch.sql")).read_text()
    return text.format(
        drop=drop, rules=SEEDS / "channel_rules.csv", rates=SEEDS / "currency_rates.csv"
    )


def run_duckdb(drop: Path) -> pd.DataFrame:
    con = duckdb.connect(config={"threads": 2})
    return con.execute(hand_sql(drop)).df()


# --- pandas --------------------------------------------------------------------------------


def _clean(col: pd.Series) -> pd.Series:
    """lower(url_decode(tag)), computed once per distinct value."""
    cat = col.astype("category")
    cleaned = [unquote(v.replace("+", " ")).strip().lower() or None for v in cat.cat.categories]
    return (
        pd.Series(pd.Categorical.from_codes(cat.cat.codes, cat.cat.categories), index=col.index)
        .map(dict(zip(cat.cat.categories, cleaned, strict=True)))
        .astype(object)
    )


def _like(pattern: str) -> re.Pattern:
    parts = (re.escape(p) for p in pattern.split("%"))
    return re.compile("^" + ".*".join(p.replace("_", ".") for p in parts) + "$", re.S)


def _rules() -> list[tuple[str, list]]:
    rules = pd.read_csv(SEEDS / "channel_rules.csv", dtype=str, keep_default_na=False)
    out = []
    for r in rules.sort_values("priority", key=lambda s: s.astype(int)).itertuples():
        conds = [r.utm_source, r.utm_medium, r.utm_campaign, r.referrer_host, r.click_id_kind]
        out.append((r.channel, [c if c in ("", "<empty>") else _like(c) for c in conds]))
    return out


def _channel(values: tuple, rules) -> str:
    for channel, conds in rules:
        if all(
            c == ""
            or (c == "<empty>" and v is None)
            or (c != "<empty>" and v is not None and c.match(v))
            for c, v in zip(conds, values, strict=True)
        ):
            return channel
    return "Other"


def _rate(df: pd.DataFrame, day: pd.Series) -> pd.Series:
    rates = pd.read_csv(
        SEEDS / "currency_rates.csv", parse_dates=["rate_date"], dtype={"rub_per_unit": str}
    )
    rates["rub_per_unit"] = [int(Decimal(r) * 1_000_000) for r in rates["rub_per_unit"]]
    rates["rate_date"] = rates["rate_date"].astype("datetime64[us]")
    rates = pd.concat(
        [
            rates,
            pd.DataFrame(
                {
                    "rate_date": [pd.Timestamp("1900-01-01")],
                    "currency": ["RUB"],
                    "rub_per_unit": [1_000_000],
                }
            ),
        ]
    )
    left = pd.DataFrame(
        {
            "day": pd.to_datetime(day).astype("datetime64[us]"),
            "currency": df["currency"].values,
            "i": range(len(df)),
        }
    ).sort_values("day")
    joined = pd.merge_asof(
        left, rates.sort_values("rate_date"), left_on="day", right_on="rate_date", by="currency"
    )
    return joined.sort_values("i")["rub_per_unit"].to_numpy()


def _converted(money: pd.Series, rate_micro) -> pd.Series:
    """money × rate rounded per row to the kopeck, half up, as the warehouse does; in integers
    (kopecks × millionths) because float rounding would drift by kopecks."""
    cents = (money.astype(float) * 100).round().astype("int64")
    return ((cents * rate_micro + 500_000) // 1_000_000) / 100


def run_pandas(drop: Path) -> pd.DataFrame:
    cols = [
        "visit_id",
        "client_id",
        "click_id",
        "started_at",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "referrer",
        "click_id_kind",
    ]
    visits = pd.concat(
        pd.read_parquet(p, columns=cols) for p in sorted((drop / "visits").glob("*.parquet"))
    )
    for tag in ("utm_source", "utm_medium", "utm_campaign"):
        visits[tag] = _clean(visits[tag])
    visits["host"] = (
        visits["referrer"].str.extract(r"^[a-zA-Z][a-zA-Z0-9+.-]*://([^/:?#]+)")[0].str.lower()
    )
    visits["click_id_kind"] = visits["click_id_kind"].str.lower()
    keys = ["utm_source", "utm_medium", "utm_campaign", "host", "click_id_kind"]
    visits[keys] = visits[keys].astype(object).where(visits[keys].notna(), None)
    rules = _rules()
    combos = visits[keys].drop_duplicates()
    combos["channel"] = [_channel(tuple(row), rules) for row in combos.itertuples(index=False)]
    visits = visits.merge(combos, on=keys, how="left")

    deals = pd.concat(pd.read_parquet(p) for p in sorted((drop / "deals").glob("*.parquet")))
    deals = deals.sort_values("updated_at").drop_duplicates("deal_id", keep="last")
    by_visit = visits[["visit_id", "client_id"]].rename(columns={"client_id": "p_visit"})
    by_click = visits.dropna(subset=["click_id"]).drop_duplicates("click_id")[
        ["click_id", "client_id"]
    ]
    deals = deals.merge(by_visit, on="visit_id", how="left").merge(
        by_click.rename(columns={"client_id": "p_click"}), on="click_id", how="left"
    )
    deals["person"] = deals["p_visit"].fillna(deals["client_id"]).fillna(deals["p_click"])

    touches = deals[["deal_id", "person", "created_at"]].merge(
        visits[["client_id", "started_at", "visit_id", "channel"]],
        left_on="person",
        right_on="client_id",
    )
    touches = touches[
        (touches.started_at <= touches.created_at)
        & (touches.started_at >= touches.created_at - LOOKBACK)
    ]
    last = touches.sort_values(["started_at", "visit_id"]).groupby("deal_id").tail(1)
    deals = deals.merge(last[["deal_id", "channel"]], on="deal_id", how="left")
    deals["channel"] = deals["channel"].fillna("(none)")
    deals["report_date"] = deals["created_at"].dt.tz_convert(TZ).dt.date
    won = deals["status"] == "won"
    deals["revenue"] = _converted(deals["amount"], _rate(deals, deals["report_date"])).where(won)
    deals["won"] = won.astype(int)
    credit = deals.groupby(["report_date", "channel"]).agg(
        leads=("deal_id", "size"), deals_won=("won", "sum"), revenue=("revenue", "sum")
    )

    spend = pd.concat(
        pd.read_parquet(p).assign(file=p.name)
        for p in sorted((drop / "ad_spend").glob("*.parquet"))
    )
    spend = spend.sort_values("file").drop_duplicates(
        ["spend_date", "source_system", "campaign_id"], keep="last"
    )
    spend["channel"] = [
        _channel((s, m, c, None, None), rules)
        for s, m, c in zip(
            spend.utm_source.str.lower(),
            spend.utm_medium.str.lower(),
            spend.utm_campaign.str.lower(),
            strict=True,
        )
    ]
    spend["cost"] = _converted(spend["cost"], _rate(spend, spend["spend_date"]))
    cost = (
        spend.rename(columns={"spend_date": "report_date"})
        .groupby(["report_date", "channel"])[["cost"]]
        .sum()
    )
    return credit.join(cost, how="outer").fillna(0).reset_index()


def main(argv: list[str]) -> int:
    kind, drop, out = argv[0], Path(argv[1]), Path(argv[2])
    started = time.perf_counter()
    df = run_duckdb(drop) if kind == "duckdb" else run_pandas(drop)
    seconds = time.perf_counter() - started
    df["report_date"] = pd.to_datetime(df["report_date"])
    df.to_parquet(out)
    print(json.dumps({"seconds": round(seconds, 3), "rows": len(df)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
