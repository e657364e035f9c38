"""Reading a connector's secrets and options, with errors that say what to set."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping


class ConnectorConfigError(ValueError):
    """A connector is missing a secret or has a bad option; the message says what to set."""


def require_secret(env: Mapping[str, str], name: str, source: str) -> str:
    value = (env.get(name) or "").strip()
    if not value:
        raise ConnectorConfigError(
            f"{name} is not set (needed by source {source}, see connectors/{source}/README.md "
            "and README 'Connect a source')"
        )
    return value


def parse_date(value: object, option: str, source: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ConnectorConfigError(
            f"sources.{source}.{option} = {value!r} is not a date (YYYY-MM-DD)"
        ) from exc
