"""More campaigns than the eleven of settings.CAMPAIGNS, for benchmark-sized workloads.

A variant is a copy of a base campaign on the same platform with its own campaign id, name,
ad group, ad ids and utm_campaign tag (the base tag plus `_<serial>`). Channels come from
utm_source / utm_medium in `channel_rules.csv`, so a variant maps to its base's channel. Variants
run for 10-40 % of the period at staggered times; the generator splits the base campaign's
weights among the members of its family that run on a given day. No random numbers are drawn
here (low-discrepancy sequences instead), so adding campaigns does not shift the simulation's
random streams by itself.
"""

from __future__ import annotations

import dataclasses
import math

from . import settings as s

BASE = len(s.CAMPAIGNS)
_PHI = (math.sqrt(5) - 1) / 2  # golden-ratio steps spread the start times evenly
_SQRT2 = math.sqrt(2) - 1


def _frac(x: float) -> float:
    return x - math.floor(x)


def _variant(base: s.Campaign, serial: int, k: int) -> s.Campaign:
    cid = base.campaign_id
    new_id = f"{cid}{serial:04d}" if cid.isdigit() else f"{cid}-{serial}"
    group = base.ad_group_id
    # Start uniform on [-length, 1] and clip: as many campaigns run on the first day as on
    # any other, some began before the period and some outlive it.
    length = 0.1 + 0.3 * _frac(k * _SQRT2)
    start = -length + _frac(k * _PHI) * (1 + length)
    return dataclasses.replace(
        base,
        campaign_id=new_id,
        campaign_name=f"{base.campaign_name} #{serial}",
        utm_campaign=f"{base.utm_campaign}_{serial}",
        ad_ids=tuple(f"{ad}-{serial}" for ad in base.ad_ids),
        ad_group_id=group.replace(cid, new_id, 1) if group else None,
        ad_group_name=f"{base.ad_group_name} #{serial}" if base.ad_group_name else None,
        active=(max(0.0, start), min(1.0, start + length)),
    )


def campaign_specs(count: int = 0) -> list[tuple[s.Campaign, int]]:
    """(campaign, family) pairs: the base campaigns, then variants round-robin over them until
    there are `count` (0 = just the base ones). family = index of the base campaign."""
    if count and count < BASE:
        raise ValueError(f"demo: campaigns must be 0 or at least {BASE}, got {count}")
    specs = [(c, i) for i, c in enumerate(s.CAMPAIGNS)]
    for k in range(max(0, count - BASE)):
        family = k % BASE
        specs.append((_variant(s.CAMPAIGNS[family], k // BASE + 2, k), family))  # base is #1
    ids = {(c.platform, c.campaign_id) for c, _ in specs}
    assert len(ids) == len(specs), "demo: campaign ids collide"
    return specs
