"""Seeded simulation of the demo business (Python, numpy and pyarrow; no dlt).

People arrive on the site through a channel and come back over the following weeks through
others. Every visit independently "convinces" its person with a per-channel probability
(settings.CONVERT_PROB); the first visit that does is the deal's true channel, and the lead
follows in the same visit or after one or two navigational visits (direct, brand search,
e-mail). That is the ground truth written to `planted_truth`, and what a good attribution model
should recover. Deals then move through CRM stages; won customers may come back for a second
order. Deals are tied to the site in each of the ways DESIGN.md stitches them (visit id, client
id, click id, phone through call tracking, UTM tags only, nothing).

The simulation walks the calendar one Moscow day at a time and yields the rows in batches of
pyarrow tables, so memory stays bounded however long the period. People, journeys and deals are
decided one by one with `random.Random(seed)`; the details of a day's visits (tag spellings,
referrers, click ids, page views) are drawn for the whole day at once with
`numpy.random.default_rng(seed)`. The same configuration always gives the same rows; nothing
reads the clock. E-mails and phone numbers exist only inside `_Simulation._contact_key` /
`_caller_key`; only their salted hashes leave.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import gc
import math
import random
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from connectors.common.pii import contact_key

from . import settings as s
from .campaigns import campaign_specs

# --- output tables -------------------------------------------------------------------------

TEXT, BIGINT, BOOL, DATE = "text", "bigint", "bool", "date"
TIMESTAMP, MONEY = "timestamp", "decimal"
MONEY_PRECISION, MONEY_SCALE = 18, 2
ARROW_TYPES = {
    TEXT: pa.string(),
    BIGINT: pa.int64(),
    BOOL: pa.bool_(),
    DATE: pa.date32(),
    TIMESTAMP: pa.timestamp("us", tz="UTC"),
    MONEY: pa.decimal128(MONEY_PRECISION, MONEY_SCALE),
}
_UTM = ("utm_source", TEXT), ("utm_medium", TEXT), ("utm_campaign", TEXT)
_UTM_ALL = (*_UTM, ("utm_content", TEXT), ("utm_term", TEXT))

# table -> ((column, type), ...) in row order. These are the raw_demo.* tables dbt reads.
TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "ad_spend": (
        ("spend_date", DATE),
        ("source_system", TEXT),
        ("account_id", TEXT),
        ("campaign_id", TEXT),
        ("campaign_name", TEXT),
        ("ad_group_id", TEXT),
        ("ad_group_name", TEXT),
        *_UTM,
        ("impressions", BIGINT),
        ("clicks", BIGINT),
        ("cost", MONEY),
        ("currency", TEXT),
    ),
    "visits": (
        ("visit_id", TEXT),
        ("source_system", TEXT),
        ("client_id", TEXT),
        ("user_id", TEXT),
        ("started_at", TIMESTAMP),
        *_UTM_ALL,
        ("click_id", TEXT),
        ("click_id_kind", TEXT),
        ("referrer", TEXT),
        ("landing_url", TEXT),
        ("device_category", TEXT),
        ("page_views", BIGINT),
    ),
    "deals": (
        ("deal_id", TEXT),
        ("source_system", TEXT),
        ("created_at", TIMESTAMP),
        ("closed_at", TIMESTAMP),
        ("status", TEXT),
        ("pipeline", TEXT),
        ("stage", TEXT),
        ("amount", MONEY),
        ("cost_of_goods", MONEY),
        ("currency", TEXT),
        ("manager", TEXT),
        ("contact_key", TEXT),
        ("visit_id", TEXT),
        ("client_id", TEXT),
        ("click_id", TEXT),
        *_UTM_ALL,
        ("updated_at", TIMESTAMP),
    ),
    "deal_stage_events": (
        ("deal_id", TEXT),
        ("source_system", TEXT),
        ("stage", TEXT),
        ("entered_at", TIMESTAMP),
    ),
    "calls": (
        ("call_id", TEXT),
        ("source_system", TEXT),
        ("started_at", TIMESTAMP),
        ("caller_key", TEXT),
        ("duration_s", BIGINT),
        ("is_target", BOOL),
        ("visit_id", TEXT),
        ("client_id", TEXT),
        *_UTM,
    ),
    "planted_truth": (
        ("deal_id", TEXT),
        ("source_system", TEXT),
        ("true_channel", TEXT),
        ("true_campaign", TEXT),
    ),
}
PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "ad_spend": ("spend_date", "source_system", "campaign_id"),
    "visits": ("visit_id",),
    "deals": ("deal_id",),
    "deal_stage_events": ("deal_id", "stage", "entered_at"),
    "calls": ("call_id",),
    "planted_truth": ("deal_id",),
}
# Columns that are never null (primary keys, and what every row of the source has).
NOT_NULL: dict[str, tuple[str, ...]] = {
    "ad_spend": (*PRIMARY_KEYS["ad_spend"], "account_id", "cost", "currency"),
    "visits": ("visit_id", "source_system", "client_id", "started_at", "landing_url"),
    "deals": ("deal_id", "source_system", "created_at", "status", "amount", "currency"),
    "deal_stage_events": ("deal_id", "source_system", "stage", "entered_at"),
    "calls": ("call_id", "source_system", "started_at", "caller_key"),
    "planted_truth": ("deal_id", "source_system", "true_channel"),
}


def arrow_schema(table: str) -> pa.Schema:
    required = NOT_NULL[table]
    return pa.schema(
        [
            pa.field(name, ARROW_TYPES[kind], nullable=name not in required)
            for name, kind in TABLES[table]
        ]
    )


def _to_table(table: str, rows: list[tuple]) -> pa.Table:
    schema = arrow_schema(table)
    if not rows:
        return schema.empty_table()
    columns = list(zip(*rows, strict=True))
    return pa.Table.from_arrays(
        [pa.array(col, type=field.type) for col, field in zip(columns, schema, strict=True)],
        schema=schema,
    )


# --- configuration -------------------------------------------------------------------------


def default_end_date() -> dt.date:
    """Yesterday in Moscow: the last complete day."""
    return dt.datetime.now(ZoneInfo(s.TIMEZONE)).date() - dt.timedelta(days=1)


@dataclass(frozen=True)
class DemoConfig:
    days: int = s.DEFAULT_DAYS
    visits_per_day: int = s.DEFAULT_VISITS_PER_DAY
    seed: int = s.DEFAULT_SEED
    end_date: dt.date | None = None  # last simulated day, inclusive; None = yesterday (Moscow)
    pii_salt: str = ""
    batch_rows: int = 50_000  # yield a batch once this many visits are pending
    # Workload knobs (connectors/demo/workloads.py). The defaults are settings.py's story and
    # draw exactly the random numbers they always did, so default output never changes.
    campaigns: int = 0  # 0 = the base campaigns; N > 11 adds variants (campaigns.py)
    continue_prob: float = s.CONTINUE_PROB  # a person comes back after an unconvincing visit
    max_touches: int = s.MAX_TOUCHES  # longest journey before they give up
    convert_scale: float = 1.0  # multiplies every settings.CONVERT_PROB
    win_prob: float = s.WIN_PROB  # a proposal ends won (times WIN_FACTOR and the manager's)
    min_new_share: float = 0.25  # at least this share of a day's target visits are newcomers

    def resolved(self) -> DemoConfig:
        if self.days < 1:
            raise ValueError(f"demo: days must be at least 1, got {self.days}")
        if self.visits_per_day < 1:
            raise ValueError(f"demo: visits_per_day must be at least 1, got {self.visits_per_day}")
        if not self.pii_salt:
            raise ValueError(
                "demo: pii_salt is empty: set THROUGHLINE_PII_SALT (or sources.demo.pii_salt)"
            )
        if self.campaigns and self.campaigns < len(s.CAMPAIGNS):
            raise ValueError(
                f"demo: campaigns must be 0 or at least {len(s.CAMPAIGNS)}, got {self.campaigns}"
            )
        for name in ("continue_prob", "win_prob", "min_new_share"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"demo: {name} must be within [0, 1], got {getattr(self, name)}")
        if self.max_touches < 1 or self.convert_scale < 0:
            raise ValueError("demo: max_touches must be at least 1 and convert_scale not negative")
        end = self.end_date if self.end_date is not None else default_end_date()
        if isinstance(end, str):
            end = dt.date.fromisoformat(end)
        return dataclasses.replace(
            self, days=int(self.days), visits_per_day=int(self.visits_per_day),
            seed=int(self.seed), end_date=end, campaigns=int(self.campaigns),
        )  # fmt: skip


# --- small helpers -------------------------------------------------------------------------

MINUTE_US = 60_000_000
HOUR_US = 60 * MINUTE_US
DAY_US = 24 * HOUR_US
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_FIRST, _FIRE, _LEAD = 1, 2, 4  # flags of a planned visit
_CH = {name: code for code, name in enumerate(s.CHANNELS)}  # channels travel as small ints
_PAID = tuple(_CH[name] for name in ("Paid Search", "Paid Social", "Display"))
_EMAIL, _ORGANIC, _SOCIAL, _REFERRAL, _DIRECT = (
    _CH[name] for name in ("Email", "Organic Search", "Social", "Referral", "Direct")
)
_CONVERT = [s.CONVERT_PROB[name] for name in s.CHANNELS]
_NAMES = ("ivan", "olga", "sergey", "natalia", "alexey", "irina", "pavel", "tatiana")
_SURNAMES = ("ivanov", "petrova", "sidorov", "kuznetsova", "popov", "vasilieva")
_MAIL_DOMAINS = ("mail.ru", "yandex.ru", "gmail.com", "bk.ru", "inbox.ru")
_EMAIL_CONTENT = ("header_button", "product_card", "footer_link")
_COPRIME = 387_420_489  # 3**18: n -> n * _COPRIME mod 10**9 is a bijection (unique ids)
_ANON_CALLERS = 600_000_000  # phone numbers of callers who are not simulated people
_VISIT_ID_BASE = 5_000_000_000_000_000  # Metrica-like 19-digit visit ids


def _us(moment: dt.datetime) -> int:
    return (moment - _EPOCH) // dt.timedelta(microseconds=1)


def _whole_seconds(us):
    """Sources report times to the second (works on ints, None and numpy arrays)."""
    return None if us is None else us - us % 1_000_000


def _money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _quoted(value: str) -> str:
    """As the value appears in a URL query (existing %-escapes kept)."""
    return quote(value, safe="%")


def messy_variants(clean: str) -> list[tuple[str, float]]:
    """How a clean tag shows up in real traffic, with weights. Every variant v satisfies
    lower(url_decode(v)) == clean, which is how staging cleans them."""
    variants = {clean: 6.0}
    for value, weight in (
        (clean.capitalize(), 1.2),  # Yandex
        (clean.upper(), 0.4),  # CPC
        (quote(clean), 2.0),  # %D0%BA%D1%83... for Cyrillic, brand%20moscow for spaces
        (quote(clean).lower(), 0.8),  # lower-case hex escapes
        (quote(clean.capitalize()), 0.6),
    ):
        variants.setdefault(value, weight)
    return list(variants.items())


class _Weighted:
    """One weighted choice from one uniform draw (bisect over cumulative weights)."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, pairs: Sequence[tuple[object, float]]):
        self.items = [item for item, _ in pairs]
        self.cum, total = [], 0.0
        for _, weight in pairs:
            total += weight
            self.cum.append(total)
        self.total = total
        if self.cum:
            self.cum[-1] = math.inf  # no draw can fall past the last item

    def pick(self, rnd, _bisect=bisect_right) -> object:
        return self.items[_bisect(self.cum, rnd() * self.total)]


def _share(weight: float, members: int) -> float:
    return weight / members if members > 1 else weight  # a lone campaign keeps its weight as is


def _channel_mix(pairs: Sequence[tuple[str, float]]) -> _Weighted:
    return _Weighted([(_CH[name], weight) for name, weight in pairs])


class _Vocab:
    """Every string a visit can carry, by integer code (-1 = null). Visits are drawn as code
    arrays and turned into strings with one arrow `take` per column."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.index: dict[str, int] = {}
        self._arrow: pa.Array | None = None

    def code(self, value: str | None) -> int:
        if value is None:
            return -1
        code = self.index.get(value)
        if code is None:
            code = self.index[value] = len(self.items)
            self.items.append(value)
            self._arrow = None
        return code

    def decode(self, code: int) -> str | None:
        return None if code < 0 else self.items[code]

    def take(self, codes: np.ndarray) -> pa.Array:
        if self._arrow is None:
            self._arrow = pa.array(self.items, pa.string())
        return self._arrow.take(pa.array(codes, mask=codes < 0))


class _Pool:
    """Weighted (value, URL part) pairs, drawn for many visits at once from uniforms."""

    def __init__(self, vocab: _Vocab, pairs: Sequence[tuple[str | None, str, float]]):
        self.values = np.array([vocab.code(v) for v, _, _ in pairs], dtype=np.int32)
        self.parts = np.array([vocab.code(part) for _, part, _ in pairs], dtype=np.int32)
        cum = np.cumsum([w for _, _, w in pairs], dtype=float)
        self.cum = cum / cum[-1]
        self.cum[-1] = np.inf

    def draw(self, u: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.cum, u, side="right")


def _tag_pool(vocab: _Vocab, key: str, clean: str) -> _Pool:
    sep = "?" if key == "utm_source" else "&"
    return _Pool(vocab, [(v, f"{sep}{key}={_quoted(v)}", w) for v, w in messy_variants(clean)])


def _uniform_pool(vocab: _Vocab, values: Sequence[str | None], prefix: str = "") -> _Pool:
    return _Pool(vocab, [(v, f"{prefix}{v}" if v and prefix else "", 1.0) for v in values])


class _CampaignState:
    """A campaign's tags and their messy variants, ready to draw."""

    def __init__(self, index: int, spec: s.Campaign, vocab: _Vocab, family: int, days: int):
        self.index, self.spec, self.family = index, spec, family
        lo = int(spec.active[0] * days)  # the days it runs: lo <= day < hi
        self.lo, self.hi = lo, max(lo + 1, round(spec.active[1] * days))
        self.platform = s.PLATFORMS[spec.platform]
        self.src = _tag_pool(vocab, "utm_source", spec.utm_source)
        self.med = _tag_pool(vocab, "utm_medium", spec.utm_medium)
        self.cmp = _tag_pool(vocab, "utm_campaign", spec.utm_campaign)
        self.content = _uniform_pool(vocab, spec.ad_ids, "&utm_content=")
        terms = [
            (v, f"&utm_term={_quoted(v)}", w) for t in spec.terms for v, w in messy_variants(t)
        ]
        self.term = _Pool(vocab, terms) if terms else None
        self.referrer = _uniform_pool(vocab, self.platform.referrers)
        self.page = vocab.code(s.SITE + spec.landing_path)
        kind = self.platform.click_id_kind
        self.click_kind = vocab.code(kind)
        self.click_part = vocab.code(f"&{kind}=" if kind else "")
        self.tag = vocab.code(spec.utm_campaign)  # the clean tag, for planted_truth


class _Person:
    __slots__ = (
        "n", "clients", "devices", "contact", "foreign", "user_id", "user_since",
        "last_click", "last_utm", "fire", "key", "sessions",
    )  # fmt: skip

    def __init__(self, n: int):
        self.n = n
        self.user_id: str | None = None
        self.user_since = 0
        self.last_click: str | None = None
        self.last_utm: tuple[int, ...] | None = None  # vocab codes of the last tagged visit
        self.fire: tuple[int, int] | None = None  # (channel, campaign tag) that convinced them
        self.key: str | None = None
        self.sessions: list | None = None  # two-browser people: last (visit, ts) per browser


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """The simulation makes millions of small objects without reference cycles, which
    reference counting frees; the cyclic collector's passes over them would cost a third of
    the run. Paused only while a day is simulated, never while the caller holds a batch."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- the simulation ------------------------------------------------------------------------


class _Simulation:
    def __init__(self, cfg: DemoConfig):
        self.cfg = cfg
        self.rng = random.Random(cfg.seed)  # the story: people, journeys, deals
        self.rnd = self.rng.random
        self.gen = np.random.default_rng(cfg.seed)  # per-visit details, drawn a day at a time
        tz = ZoneInfo(s.TIMEZONE)
        start = cfg.end_date - dt.timedelta(days=cfg.days - 1)
        self.dates = [start + dt.timedelta(days=k) for k in range(cfg.days)]
        self.day_start = [
            _us(dt.datetime.combine(start + dt.timedelta(days=k), dt.time(), tz))
            for k in range(cfg.days + 1)
        ]
        self.cutoff = self.day_start[-1]  # end of end_date in Moscow: nothing exists after it
        self.queue: dict[int, list[tuple]] = defaultdict(list)
        self.seq = self.person_n = self.visit_n = self.deal_n = self.call_n = self.anon_n = 0
        self.kind_feasible: dict[str, int] = defaultdict(int)
        self.kind_seen = 0
        self.convert = [p * cfg.convert_scale for p in _CONVERT]  # x * 1.0 == x: default intact

        v = self.vocab = _Vocab()
        self.empty = v.code("")
        self.campaigns = [
            _CampaignState(i, c, v, family, cfg.days)
            for i, (c, family) in enumerate(campaign_specs(cfg.campaigns))
        ]
        self.campaign_visits = [0] * len(self.campaigns)
        self.email_src = _tag_pool(v, "utm_source", s.EMAIL_SOURCE)
        self.email_med = _tag_pool(v, "utm_medium", s.EMAIL_MEDIUM)
        self.email_tags: dict[str, _Pool] = {}
        self.email_content = _uniform_pool(v, _EMAIL_CONTENT, "&utm_content=")
        self.referrers = {
            _EMAIL: _uniform_pool(v, s.EMAIL_REFERRERS),
            _ORGANIC: _uniform_pool(v, s.ORGANIC_REFERRERS),
            _SOCIAL: _uniform_pool(v, s.SOCIAL_REFERRERS),
            _REFERRAL: _uniform_pool(v, s.REFERRAL_REFERRERS),
        }
        self.pages = _uniform_pool(v, [s.SITE + path for path in s.ORGANIC_PATHS])
        self.home = v.code(s.SITE + "/")
        self.click_kinds = (v.code("yclid"), v.code("gclid"))

        self.first_mix = _channel_mix(s.FIRST_TOUCH_MIX)
        self.return_mix = _channel_mix(s.RETURN_TOUCH_MIX)
        self.nav_mix = _channel_mix(s.NAVIGATION_MIX)
        self.repeat_mix = _channel_mix(s.REPEAT_TOUCH_MIX)
        self.devices = _Weighted(s.DEVICE_MIX)
        self.contacts = _Weighted(s.CONTACT_KINDS)
        self.rub_pipelines = _Weighted(s.RUB_PIPELINE_MIX)
        self.hours = _Weighted(list(enumerate(s.HOUR_WEIGHTS)))
        self.managers = list(s.MANAGERS)
        self.rows: dict[str, list[tuple]] = {name: [] for name in TABLES if name != "visits"}
        self.visit_tables: list[pa.Table] = []
        self.pending_visits = 0
        self.emitted: set[str] = set()

    # time -------------------------------------------------------------------------------
    def _day_of(self, ts: int) -> int:
        return bisect_right(self.day_start, ts) - 1

    def _local_time(self, day: int) -> int:
        hour = self.hours.pick(self.rnd)
        return self.day_start[day] + hour * HOUR_US + int(self.rnd() * HOUR_US)

    def _target(self, day: int) -> int:
        trend = 0.95 + 0.1 * (day + 0.5) / self.cfg.days
        factor = s.WEEKDAY_FACTOR[self.dates[day].weekday()] * trend * self.rng.gauss(1.0, 0.05)
        return max(1, round(self.cfg.visits_per_day * factor))

    # people and their journeys ----------------------------------------------------------
    def _new_person(self, day: int) -> None:
        rnd = self.rnd
        p = _Person(self.person_n)
        self.person_n += 1
        ts = self._local_time(day)
        device = self.devices.pick(rnd)
        p.devices = (device,)
        p.clients = (f"{ts // 1_000_000}{(2 * p.n * _COPRIME) % 10**9:09d}",)
        if rnd() < s.TWO_BROWSERS:
            second_seen = ts // 1_000_000 + int(rnd() * 14 * 86_400)
            p.devices = (device, "desktop" if device == "mobile" else "mobile")
            p.clients += (f"{second_seen}{((2 * p.n + 1) * _COPRIME) % 10**9:09d}",)
            p.sessions = [None, None]
        p.contact = self.contacts.pick(rnd)
        p.foreign = rnd() < s.FOREIGN_BUYER
        if rnd() < s.REGISTERED_BEFORE:
            p.user_id, p.user_since = str(100_000 + p.n), ts
        self._journey(p, day, ts, self.first_mix.pick(rnd), 1.0, _FIRST)

    def _journey(self, p: _Person, day: int, ts: int, channel: int, boost: float, flags: int):
        """Plan a person's visits from (day, ts) on: they stop at the lead, or lose interest."""
        rnd, expo, days, cutoff = self.rnd, self.rng.expovariate, self.cfg.days, self.cutoff
        convert, stay = self.convert, self.cfg.continue_prob
        browser = 0
        for i in range(self.cfg.max_touches):
            if i:
                if rnd() < s.SAME_DAY_RETURN:
                    ts += 10 * MINUTE_US + int(expo(1 / 90) * MINUTE_US)
                    if ts >= self.day_start[day + 1]:
                        if ts >= cutoff:
                            return
                        day = self._day_of(ts)
                else:
                    day += min(30, max(1, round(expo(1 / s.RETURN_GAP_DAYS))))
                    if day >= days:
                        return
                    ts = self._local_time(day)
                if rnd() >= s.SAME_CHANNEL_AGAIN:
                    channel = self.return_mix.pick(rnd)
                browser = 1 if len(p.clients) > 1 and rnd() < 0.4 else 0
            if rnd() < convert[channel] * boost:  # this visit convinces them
                if rnd() < s.LEAD_IN_SAME_VISIT:
                    self._plan(day, ts, p, browser, channel, flags | _FIRE | _LEAD)
                    return
                self._plan(day, ts, p, browser, channel, flags | _FIRE)
                steps = 1 + (rnd() < 0.35)  # they come back to leave the request
                for step in range(steps):
                    if rnd() < 0.5:
                        ts += 15 * MINUTE_US + int(expo(1 / 120) * MINUTE_US)
                    else:
                        ts += int((1 + expo(1 / 2.5)) * DAY_US)
                    if ts >= cutoff:
                        return
                    lead = _LEAD if step == steps - 1 else 0
                    self._plan(self._day_of(ts), ts, p, browser, self.nav_mix.pick(rnd), lead)
                return
            self._plan(day, ts, p, browser, channel, flags)
            flags = 0
            if rnd() >= stay:
                return

    def _plan(self, day: int, ts: int, p: _Person, browser: int, channel: int, flags: int):
        self.queue[day].append((ts, self.seq, p, browser, channel, flags))
        self.seq += 1

    # visits -----------------------------------------------------------------------------
    def _start_day(self, day: int) -> None:
        """Which campaigns run today, and how first and returning visitors pick among them."""
        self.active_today = [c for c in self.campaigns if c.lo <= day < c.hi]
        self.campaign_picks = {}
        # a base campaign's weight is shared by the members of its family running today
        members = Counter(c.family for c in self.active_today)
        for channel in _PAID:
            active = [c for c in self.active_today if c.spec.channel == s.CHANNELS[channel]]
            index = np.array([c.index for c in active], dtype=np.int32)
            first = [_share(c.spec.first_weight, members[c.family]) for c in active]
            back = [_share(c.spec.return_weight, members[c.family]) for c in active]
            first = first if sum(first) else back
            self.campaign_picks[channel] = tuple(
                (index, _Pool(self.vocab, [(None, "", w) for w in weights]))
                for weights in (first, back)
            )

    def _by_campaign(self, camp: np.ndarray) -> Iterator[tuple[_CampaignState, np.ndarray]]:
        """(campaign, its visits' positions, ascending) for each campaign with visits today.
        One stable sort instead of a scan of the day per running campaign."""
        paid = np.flatnonzero(camp >= 0)
        if not len(paid):
            return
        order = paid[np.argsort(camp[paid], kind="stable")]
        ids, starts = np.unique(camp[order], return_index=True)
        for index, m in zip(ids.tolist(), np.split(order, starts[1:]), strict=True):
            yield self.campaigns[index], m

    def _email_tag(self, day: int) -> _Pool:
        tag = f"digest_{self.dates[day]:%Y_%m}"  # the month's newsletter
        if tag not in self.email_tags:
            self.email_tags[tag] = _tag_pool(self.vocab, "utm_campaign", tag)
        return self.email_tags[tag]

    def _emit_visits(self, day: int, events: list[tuple]) -> None:
        """Turn a day's planned visits (sorted) into rows; update people; start deals."""
        n = len(events)
        if not n:
            return
        gen, v = self.gen, self.vocab
        ts_l = [e[0] for e in events]
        persons = [e[2] for e in events]
        clients = [p.clients[e[3]] for p, e in zip(persons, events, strict=True)]
        devices = [p.devices[e[3]] for p, e in zip(persons, events, strict=True)]
        users = [
            p.user_id if p.user_id is not None and t >= p.user_since else None
            for p, t in zip(persons, ts_l, strict=True)
        ]
        ch = np.array([e[4] for e in events], dtype=np.int8)
        flags = np.array([e[5] for e in events], dtype=np.int8)
        u = gen.random((12, n))

        def codes(fill: int) -> np.ndarray:
            return np.full(n, fill, dtype=np.int32)

        src, med, cmp, content, term, ref = (codes(-1) for _ in range(6))
        src_p, med_p, cmp_p, content_p, term_p, click_p = (codes(self.empty) for _ in range(6))
        page, kind, truth, camp = codes(self.home), codes(-1), codes(-1), codes(-1)

        first = (flags & _FIRST) != 0
        for channel in _PAID:
            for is_first, (index, pool) in zip(
                (True, False), self.campaign_picks[channel], strict=True
            ):
                m = np.flatnonzero((ch == channel) & (first == is_first))
                if len(m):
                    camp[m] = index[pool.draw(u[0, m])]
        for c in self.active_today:
            self.campaign_visits[c.index] = 0
        for c, m in self._by_campaign(camp):
            self.campaign_visits[c.index] = len(m)
            for pool, val, part, row in (
                (c.src, src, src_p, 1),
                (c.med, med, med_p, 2),
                (c.cmp, cmp, cmp_p, 3),
                (c.content, content, content_p, 4),
                (c.term, term, term_p, 5),
                (c.referrer, ref, None, 6),
            ):
                if pool is not None:
                    j = pool.draw(u[row, m])
                    val[m] = pool.values[j]
                    if part is not None:
                        part[m] = pool.parts[j]
            page[m], kind[m], click_p[m], truth[m] = c.page, c.click_kind, c.click_part, c.tag

        m = np.flatnonzero(ch == _EMAIL)
        if len(m):
            weekly = u[0, m] >= 0.7
            for tags, mm in ((self._email_tag(day), m[~weekly]), (None, m[weekly])):
                tags = tags or self.email_tags.setdefault(
                    s.EMAIL_WEEKLY_CAMPAIGN,
                    _tag_pool(v, "utm_campaign", s.EMAIL_WEEKLY_CAMPAIGN),
                )
                j = tags.draw(u[3, mm])
                cmp[mm], cmp_p[mm], truth[mm] = tags.values[j], tags.parts[j], tags.values[0]
            for pool, val, part, row in (
                (self.email_src, src, src_p, 1),
                (self.email_med, med, med_p, 2),
                (self.email_content, content, content_p, 4),
            ):
                j = pool.draw(u[row, m])
                val[m], part[m] = pool.values[j], pool.parts[j]

        for channel, pool in self.referrers.items():
            m = np.flatnonzero(ch == channel)
            ref[m] = pool.values[pool.draw(u[6, m])]
        other = np.flatnonzero(np.isin(ch, (_ORGANIC, _SOCIAL, _REFERRAL)))
        page[other] = self.pages.values[self.pages.draw(u[5, other])]
        direct = np.flatnonzero((ch == _DIRECT) & (u[7] >= 0.7))  # most direct visits: home
        page[direct] = self.pages.values[self.pages.draw(u[5, direct])]

        # click ids: Yandex yclid is a 19-digit number, Google gclid a base64 token
        click = np.full(n, None, dtype=object)
        m = np.flatnonzero(kind == self.click_kinds[0])
        click[m] = [str(x) for x in (10**18 + gen.integers(0, 2**59, len(m))).tolist()]
        m = np.flatnonzero(kind == self.click_kinds[1])
        raw = gen.bytes(24 * len(m))
        click[m] = [
            "Cj0KCQ" + base64.urlsafe_b64encode(raw[24 * i : 24 * i + 24]).decode() + "_BwE"
            for i in range(len(m))
        ]
        click_a = pa.array(click, pa.string())

        lead = (flags & _LEAD) != 0
        page_views = np.where(
            lead,
            3 + np.floor(gen.exponential(3.0, n)),
            np.where(u[8] < 0.38, 1, 2 + np.floor(gen.exponential(2.5, n))),
        ).astype(np.int64)
        visit_ids = (_VISIT_ID_BASE + self.visit_n + np.arange(1, n + 1)) * 1000 + (
            u[10] * 1000
        ).astype(np.int64)
        self.visit_n += n

        take = v.take
        url = pc.binary_join_element_wise(
            take(page), take(src_p), take(med_p), take(cmp_p), take(content_p), take(term_p),
            take(click_p), pc.fill_null(click_a, ""), "",
        )  # fmt: skip
        vid_a = pc.cast(pa.array(visit_ids), pa.string())
        columns = {
            "visit_id": vid_a,
            "source_system": pa.repeat(pa.scalar(s.ANALYTICS), n),
            "client_id": pa.array(clients, pa.string()),
            "user_id": pa.array(users, pa.string()),
            "started_at": pa.array(_whole_seconds(np.array(ts_l)), ARROW_TYPES[TIMESTAMP]),
            "utm_source": take(src),
            "utm_medium": take(med),
            "utm_campaign": take(cmp),
            "utm_content": take(content),
            "utm_term": take(term),
            "click_id": click_a,
            "click_id_kind": take(kind),
            "referrer": take(ref),
            "landing_url": url,
            "device_category": pa.array(devices, pa.string()),
            "page_views": pa.array(page_views),
        }
        schema = arrow_schema("visits")
        self.visit_tables.append(pa.Table.from_arrays(list(columns.values()), schema=schema))
        self.pending_visits += n

        # what the people carry forward: last click, last tags, what convinced them, leads
        stray = (u[11] < s.STRAY_CALL_PROB) & ~lead
        two = np.array([p.sessions is not None for p in persons])
        need = np.flatnonzero(
            (src >= 0) | (kind >= 0) | ((flags & (_FIRE | _LEAD)) != 0) | stray | two
        )
        tags = np.stack([src, med, cmp, content, term], axis=1).tolist()
        click_l, ch_l, flags_l = click.tolist(), ch.tolist(), flags.tolist()
        truth_l, stray_l, vid_l = truth.tolist(), stray.tolist(), visit_ids.tolist()
        for i in need.tolist():
            p = persons[i]
            if click_l[i] is not None:
                p.last_click = click_l[i]
            utm = tags[i] if tags[i][0] >= 0 else None
            if utm is not None:
                p.last_utm = utm
            f = flags_l[i]
            if f & _FIRE:
                p.fire = (ch_l[i], truth_l[i])
            if f & _LEAD:
                self._deal(p, ts_l[i], str(vid_l[i]), events[i][3], click_l[i], utm)
            elif stray_l[i]:
                self._stray_call(p, ts_l[i], str(vid_l[i]), clients[i], utm)
            if p.sessions is not None:
                p.sessions[events[i][3]] = (ts_l[i], str(vid_l[i]), utm)

    def _utm(self, codes: Sequence[int] | None, width: int = 5) -> tuple[str | None, ...]:
        if codes is None:
            return (None,) * width
        return tuple(self.vocab.decode(c) for c in codes[:width])

    # PII: raw values live only inside these two methods ---------------------------------
    @staticmethod
    def _phone_digits(n: int) -> str:
        return "9" + f"{(n * _COPRIME + 7_654_321) % 10**9:09d}"

    def _contact_key(self, p: _Person) -> str | None:
        """The contact's key as the CRM would hash it: a phone typed by a manager, an e-mail."""
        if p.key is None:
            email = phone = None
            if p.contact != "phone":
                name = f"{_NAMES[p.n % 8]}.{_SURNAMES[p.n // 8 % 6]}{p.n}"
                email = f"{name}@{_MAIL_DOMAINS[p.n % 5]}"
            if p.contact != "email":
                d = self._phone_digits(p.n)
                phone = f"8 ({d[:3]}) {d[3:6]}-{d[6:8]}-{d[8:]}" if p.n % 2 else f"+7 {d}"
            p.key = contact_key(email, phone, self.cfg.pii_salt)
        return p.key

    def _caller_key(self, n: int) -> str:
        """The caller's key as call tracking hashes it (E.164 digits, no plus)."""
        return contact_key(None, "7" + self._phone_digits(n), self.cfg.pii_salt)

    # deals and calls --------------------------------------------------------------------
    def _link_kind(self, p: _Person) -> str:
        """How this deal is tied to the site. Kinds that need something the person may lack
        (a click id, a phone, tags) are up-weighted by how rarely they are possible, so the
        overall shares stay near settings.LINK_KIND_SHARES."""
        feasible = {
            "visit_id": True,
            "client_id": True,
            "click_id": p.last_click is not None,
            "contact_key": p.contact != "email",
            "utm": p.last_utm is not None,
            "none": True,
        }
        self.kind_seen += 1
        weights = []
        for kind, share in s.LINK_KIND_SHARES:
            if feasible[kind]:
                self.kind_feasible[kind] += 1
                rate = (self.kind_feasible[kind] + 1) / (self.kind_seen + 1)
                weights.append((kind, share / rate))
        return _Weighted(weights).pick(self.rnd)

    def _deal(self, p: _Person, ts: int, visit_id: str, browser: int, click, utm) -> None:
        rng, rnd = self.rng, self.rnd
        client = p.clients[browser]
        kind = self._link_kind(p)
        call = None
        if kind == "contact_key":  # the person phones from the site; the manager opens a deal
            call_at = ts + int((1 + rnd() * 14) * MINUTE_US)
            duration = 90 + int(rnd() * 810)
            created = call_at + duration * 1_000_000 + int((2 + rnd() * 18) * MINUTE_US)
            call = (call_at, duration)
        else:  # a form on the site
            created = ts + int((3 + rnd() * 42) * MINUTE_US)
        if created >= self.cutoff:
            return
        self.deal_n += 1
        deal_id = str(31_000_000 + self.deal_n * 7 + int(rnd() * 7))
        channel, tag = p.fire or (_DIRECT, -1)
        p.fire = None
        true_channel = s.CHANNELS[channel]

        pipeline = "Экспорт" if p.foreign else self.rub_pipelines.pick(rnd)
        currency, median, sigma, cogs_share = s.PIPELINES[pipeline]
        step = 10 if currency == "USD" else 1000
        amount = max(step, round(median * math.exp(rng.gauss(0, sigma)) / step) * step) * 100
        if rnd() < s.COST_OF_GOODS_MISSING:
            cogs = None
        else:
            cogs = _money(round(amount * rng.uniform(*cogs_share)))
        manager = self.managers[int(rnd() * len(self.managers))]

        history = self._stage_history(created, s.WIN_FACTOR[true_channel] * s.MANAGERS[manager])
        outcome, t = history[-1]
        seen = [(stage, at) for stage, at in history if at < self.cutoff]  # the rest: future
        closed_at = t if t < self.cutoff else None
        status = outcome if closed_at is not None else "open"
        last_change = seen[-1][1]  # then a manager edits a field or two
        updated_at = last_change + int(rnd() * min(3 * HOUR_US, self.cutoff - 1 - last_change))

        deal_utm = deal_visit = deal_client = deal_click = None
        key = self._contact_key(p)
        if kind == "visit_id":  # the form sent everything it knew
            deal_visit, deal_client, deal_click, deal_utm = visit_id, client, click, utm
        elif kind == "client_id":
            deal_client = client
        elif kind == "click_id":
            deal_click = p.last_click
        elif kind == "utm":  # tags kept in a cookie from the last tagged visit
            deal_utm = p.last_utm
        elif kind == "none" and rnd() < 0.2:
            key = None  # a walk-in nobody typed a phone for
        self.rows["deals"].append(
            (
                deal_id, s.CRM, _whole_seconds(created), _whole_seconds(closed_at), status,
                pipeline, seen[-1][0], _money(amount),
                cogs, currency, manager, key, deal_visit, deal_client, deal_click,
                *self._utm(deal_utm), _whole_seconds(updated_at),
            )
        )  # fmt: skip
        self.rows["deal_stage_events"].extend(
            (deal_id, s.CRM, stage, _whole_seconds(at)) for stage, at in seen
        )
        self.rows["planted_truth"].append((deal_id, s.CRM, true_channel, self.vocab.decode(tag)))
        if call is not None:
            self._call(call[0], self._caller_key(p.n), call[1], True, visit_id, client, utm)
        elif kind in ("visit_id", "client_id", "click_id") and p.sessions is not None:
            self._call_from_other_browser(p, browser, ts)

        if outcome == "won":
            if p.user_id is None and rnd() < s.REGISTERS_AFTER_PURCHASE:
                p.user_id, p.user_since = str(100_000 + p.n), t
            if rnd() < s.REPEAT_PURCHASE:
                back = t + int(rng.uniform(*s.REPEAT_AFTER_DAYS) * DAY_US)
                if back < self.cutoff:
                    day = self._day_of(back)
                    channel = self.repeat_mix.pick(rnd)
                    self._journey(p, day, self._local_time(day), channel, s.REPEAT_BOOST, 0)

    def _stage_history(self, created: int, win_factor: float) -> list[tuple[str, int]]:
        """The deal's whole path through the pipeline, decided at creation."""
        rng, t = self.rng, created
        history = [("new", t)]
        outcome = "lost"
        if rng.random() < s.QUALIFY_PROB:
            t += int(rng.uniform(0.1, 3) * DAY_US)
            history.append(("qualified", t))
            if rng.random() < s.PROPOSAL_PROB:
                t += int(rng.uniform(1, 8) * DAY_US)
                history.append(("proposal", t))
                if rng.random() < min(0.95, self.cfg.win_prob * win_factor):
                    outcome = "won"
                t += int(rng.uniform(2, 25) * DAY_US)
            else:
                t += int(rng.uniform(1, 10) * DAY_US)
        else:
            t += int(rng.uniform(0.3, 6) * DAY_US)
        history.append((outcome, t))
        return history

    def _call_from_other_browser(self, p: _Person, browser: int, lead_at: int) -> None:
        """Before the form on one device they had phoned while browsing on the other: the CRM
        now knows one contact with two client ids."""
        other = p.sessions[1 - browser]
        if p.contact == "email" or other is None or self.rnd() >= s.CALL_FROM_OTHER_BROWSER:
            return
        at, visit_id, utm = other
        if at < lead_at - 30 * MINUTE_US:
            at += int((1 + self.rnd() * 20) * MINUTE_US)
            duration = 60 + int(self.rnd() * 400)
            client = p.clients[1 - browser]
            self._call(at, self._caller_key(p.n), duration, True, visit_id, client, utm)

    def _call(self, at, caller_key, duration, is_target, visit_id, client, utm) -> None:
        self.call_n += 1
        call_id = str(880_000_000 + self.call_n * 3 + int(self.rnd() * 3))
        started_at = _whole_seconds(at)
        self.rows["calls"].append(
            (call_id, s.CALL_TRACKING, started_at, caller_key, duration, is_target, visit_id,
             client, *self._utm(utm, 3))
        )  # fmt: skip

    def _stray_call(self, p: _Person, ts: int, visit_id: str, client: str, utm) -> None:
        """A call that does not become a deal: questions, wrong numbers, existing customers."""
        at = ts + int((1 + self.rnd() * 19) * MINUTE_US)
        if at >= self.cutoff:
            return
        duration = 5 + int(self.rng.expovariate(1 / 110))
        is_target = duration >= 60 and self.rnd() < 0.85
        if self.rnd() < s.UNTRACKED_CALL_SHARE:  # no web session behind it at all
            visit_id = client = utm = None
        if visit_id is None or p.contact == "email":  # a number the CRM does not know
            self.anon_n += 1
            caller = self._caller_key(_ANON_CALLERS + self.anon_n)
        else:
            caller = self._caller_key(p.n)
        self._call(at, caller, duration, is_target, visit_id, client, utm)

    # ad spend ---------------------------------------------------------------------------
    def _spend(self, day: int) -> None:
        """One row per running campaign: platforms count more clicks than analytics visits."""
        rng, rnd = self.rng, self.rnd
        for c in self.active_today:
            spec = c.spec
            visits = self.campaign_visits[c.index]
            if visits:
                clicks = round(visits * rng.uniform(*s.CLICKS_PER_VISIT))
            else:
                clicks = int(rnd() * 3)
            ctr = spec.ctr * rng.uniform(0.8, 1.2)
            impressions = max(clicks, round(clicks / ctr)) if clicks else int(rng.uniform(40, 400))
            cost = round(clicks * spec.cpc * rng.uniform(0.85, 1.15) * 100)
            self.rows["ad_spend"].append(
                (
                    self.dates[day], spec.platform, c.platform.account_id, spec.campaign_id,
                    spec.campaign_name, spec.ad_group_id, spec.ad_group_name, spec.utm_source,
                    spec.utm_medium, spec.utm_campaign, impressions, clicks, _money(cost),
                    c.platform.currency,
                )
            )  # fmt: skip

    # driver -----------------------------------------------------------------------------
    def run(self) -> Iterator[dict[str, pa.Table]]:
        days = self.cfg.days
        for day in range(days):
            with _cyclic_gc_paused():
                self._start_day(day)
                target = self._target(day)
                today = self.queue[day]  # people coming back today
                new = 0
                while len(today) < target or new < self.cfg.min_new_share * target:
                    self._new_person(day)  # adds their visits today (and later) to the queue
                    new += 1
                del self.queue[day]
                today.sort()  # by (time, sequence): unique, so people are never compared
                self._emit_visits(day, today)
                self._spend(day)
                last = day == days - 1
                batch = None
                if last or self.pending_visits >= self.cfg.batch_rows:
                    batch = self._flush(last)
            if batch is not None:
                yield batch

    def _flush(self, last: bool) -> dict[str, pa.Table]:
        """The pending rows as tables. Empty tables are left out, except that the last batch
        carries every table never sent, so each one is created and replaced on every run."""
        batch = {}
        if self.visit_tables:
            batch["visits"] = pa.concat_tables(self.visit_tables)
        for name, rows in self.rows.items():
            if rows:
                batch[name] = _to_table(name, rows)
            self.rows[name] = []
        self.emitted.update(batch)
        if last:
            for name in TABLES:
                if name not in self.emitted:
                    batch[name] = arrow_schema(name).empty_table()
        self.visit_tables, self.pending_visits = [], 0
        return {name: batch[name] for name in TABLES if name in batch}


# --- public API ----------------------------------------------------------------------------


def iter_batches(config: DemoConfig) -> Iterator[dict[str, pa.Table]]:
    """Stream the simulation: {table name: pyarrow table} dicts, a few days at a time."""
    yield from _Simulation(config.resolved()).run()


@dataclass
class DemoData:
    """A whole generated dataset in memory (for tests, the CLI and small runs)."""

    config: DemoConfig
    tables: dict[str, pa.Table]

    def __getitem__(self, table: str) -> pa.Table:
        return self.tables[table]

    def row_counts(self) -> dict[str, int]:
        return {name: table.num_rows for name, table in self.tables.items()}

    def totals(self) -> dict[str, object]:
        """What the warehouse must reproduce: spend and won revenue per currency, deals."""
        spend, deals = self.tables["ad_spend"], self.tables["deals"]
        won = deals.filter(pc.equal(deals["status"], "won"))
        return {
            "cost_by_currency": _sum_by(spend, "currency", "cost"),
            "clicks": pc.sum(spend["clicks"]).as_py() or 0,
            "visits": self.tables["visits"].num_rows,
            "deals": deals.num_rows,
            "deals_by_status": dict(sorted(Counter(deals["status"].to_pylist()).items())),
            "won_revenue_by_currency": _sum_by(won, "currency", "amount"),
        }


def _sum_by(table: pa.Table, key: str, value: str) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for k, amount in zip(table[key].to_pylist(), table[value].to_pylist(), strict=True):
        sums[k] += amount
    return dict(sorted(sums.items()))


def generate(
    days: int = s.DEFAULT_DAYS,
    visits_per_day: int = s.DEFAULT_VISITS_PER_DAY,
    seed: int = s.DEFAULT_SEED,
    end_date: dt.date | None = None,
    pii_salt: str = s.CLI_DEFAULT_SALT,
) -> DemoData:
    """Run the whole simulation and keep every table in memory."""
    config = DemoConfig(days, visits_per_day, seed, end_date, pii_salt).resolved()
    parts: dict[str, list[pa.Table]] = {name: [] for name in TABLES}
    for batch in _Simulation(config).run():
        for name, table in batch.items():
            parts[name].append(table)
    return DemoData(config, {name: pa.concat_tables(parts[name]) for name in TABLES})
