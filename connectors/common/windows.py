"""Day windows shared by the date-windowed connectors."""

from __future__ import annotations

import datetime as dt

Window = tuple[dt.date, dt.date]


def day_chunks(start: dt.date, end: dt.date, days: int) -> list[Window]:
    """[start, end] cut into consecutive inclusive pieces of at most `days` days (APIs cap the
    span of one request: Direct reports, VK statistics, Metrica log requests, Calltouch pages)."""
    out: list[Window] = []
    while start <= end:
        stop = min(start + dt.timedelta(days=days - 1), end)
        out.append((start, stop))
        start = stop + dt.timedelta(days=1)
    return out
