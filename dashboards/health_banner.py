"""The late-source banner: one translated line at the top of any page while a source is late.

Every page calls ``show_if_late(snapshot)`` (the router does it once for all). The rule is in
``data_health``: a source × entity is late when the snapshot's publish day minus its last data
day is more than its due_days (default 1: yesterday's data is expected).
"""

from __future__ import annotations

import streamlit as st

from dashboards import data, data_health
from dashboards.i18n import date, t


def late(snapshot: data.Snapshot) -> list[data_health.Late]:
    """The late sources of ``snapshot`` ([] when it has no freshness table)."""
    freshness = data_health.freshness(snapshot)
    if freshness is None:
        return []
    meta = data.publish_meta(snapshot)
    return data_health.late_sources(
        freshness,
        meta.published_at_local().date(),
        data_health.configured_due_days(),
        meta.sources,
    )


def describe(found: list[data_health.Late]) -> str:
    """``vk_ads (ad spend up to 2025-01-28), amocrm (no data at all)`` (session language)."""
    parts = []
    for source in found:
        entities = [
            t("data_health.banner_entity", entity=entity_label(entity), last=date(last))
            if last is not None
            else t("data_health.banner_entity_none", entity=entity_label(entity))
            for entity, last in source.entities
        ]
        detail = ", ".join(entities) if entities else t("data_health.banner_no_rows")
        parts.append(f"{source.source_system} ({detail})")
    return ", ".join(parts)


def entity_label(entity: str) -> str:
    """An entity's name in the session's language (an unknown one as it is)."""
    key = f"data_health.entity.{entity}"
    return t(key) if entity in data_health.ENTITIES else entity


def show_if_late(snapshot: data.Snapshot | None) -> list[data_health.Late]:
    """Draw the warning when any source is late; return the late sources (for callers and
    tests). Nothing is drawn without a snapshot or without late sources."""
    if snapshot is None:
        return []
    found = late(snapshot)
    if found:
        st.warning(t("data_health.banner", sources=describe(found)), icon=":material/schedule:")
    return found
