"""Which alerts are open, so each fires once and clears once.

An alert is keyed by a stable id, `<scope>:<subject...>`: `late:yandex_direct:ad_spend`,
`signal:cpl:Paid Search`, `run:nightly:dbt_models`, `check:marts/fct_deals:<check name>`.
Evaluating the conditions that hold now gives the news: FIRING for a condition not yet open,
RESOLVED for an open alert of an evaluated scope whose condition no longer holds. The open alerts
live in a small JSON file, replaced atomically, so a crash never leaves it half written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: the atomic replace still keeps the file whole
    fcntl = None

FIRING = "FIRING"
RESOLVED = "RESOLVED"


@dataclass(frozen=True)
class Condition:
    """Something wrong right now: `id` names it across nights, title and message describe it."""

    id: str
    title: str
    message: str

    @property
    def scope(self) -> str:
        return scope_of(self.id)


@dataclass(frozen=True)
class Transition:
    status: Literal["FIRING", "RESOLVED"]
    alert_id: str
    title: str
    message: str


def scope_of(alert_id: str) -> str:
    return alert_id.split(":", 1)[0]


@dataclass
class AlertState:
    """The open alerts: id → {title, message, since}."""

    open: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> AlertState:
        if not path.exists():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(open=dict(data.get("open", {})))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            with tmp.open("w", encoding="utf-8") as fh:
                json.dump({"open": self.open}, fh, ensure_ascii=False, indent=2, sort_keys=True)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)

    def transitions(
        self, conditions: Iterable[Condition], scopes: Collection[str]
    ) -> list[Transition]:
        """The news, without changing the state. Open alerts of `scopes` that no condition names
        any more resolve; conditions of other scopes may fire but resolve nothing (a failed run
        reports the checks it saw fail, but cannot tell that the others pass)."""
        now_true: dict[str, Condition] = {}
        for condition in conditions:
            now_true.setdefault(condition.id, condition)
        news = [
            Transition(FIRING, c.id, c.title, c.message)
            for c in now_true.values()
            if c.id not in self.open
        ]
        for alert_id, alert in sorted(self.open.items()):
            if scope_of(alert_id) in scopes and alert_id not in now_true:
                news.append(Transition(RESOLVED, alert_id, alert["title"], alert["message"]))
        return news

    def record(self, transition: Transition, at: dt.datetime) -> None:
        """A transition was delivered: open or close the alert."""
        if transition.status == FIRING:
            self.open[transition.alert_id] = {
                "title": transition.title,
                "message": transition.message,
                "since": at.isoformat(timespec="seconds"),
            }
        else:
            self.open.pop(transition.alert_id, None)


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """One evaluation at a time per state file (the failure and success sensors may overlap)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if fcntl is None:  # pragma: no cover
        yield
        return
    with path.with_name(path.name + ".lock").open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
