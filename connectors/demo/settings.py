"""Defaults and the simulated business: a Moscow kitchen-and-wardrobe maker that advertises on
five platforms, takes leads through site forms and phone calls, and sells through amoCRM.

Everything the simulation draws from lives here, so the demo can be re-tuned without reading
the generator. Channel names are the ones `dbt_project/seeds/channel_rules.csv` produces; the
tags below are chosen so that ordinary rules (medium `cpc` on a search engine, `paid_social`,
`display`, `email`, search/social referrer hosts) map them back to the planted channel.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_DAYS = 90
DEFAULT_VISITS_PER_DAY = 300
DEFAULT_SEED = 42
TIMEZONE = "Europe/Moscow"  # simulated days are Moscow calendar days
CLI_DEFAULT_SALT = "demo-salt"  # only for the CLI; the dlt source takes pii_salt as a secret
SITE = "https://kuhni-demo.ru"

# source_system of each simulated system
ANALYTICS = "metrica"
CRM = "amocrm"
CALL_TRACKING = "calltouch"

CHANNELS = (
    "Paid Search",
    "Paid Social",
    "Display",
    "Email",
    "Organic Search",
    "Social",
    "Referral",
    "Direct",
)


@dataclass(frozen=True)
class Platform:
    source_system: str
    account_id: str
    currency: str
    click_id_kind: str | None  # the parameter the platform appends to landing URLs
    referrers: tuple[str | None, ...]  # what the browser reports as referrer, None = none


@dataclass(frozen=True)
class Campaign:
    platform: str  # Platform.source_system
    campaign_id: str
    campaign_name: str
    utm_source: str  # clean tags: what ad_spend carries and visits decode to
    utm_medium: str
    utm_campaign: str
    channel: str  # the channel a visit through this campaign really belongs to
    cpc: float  # average cost per click, in the platform's currency
    ctr: float
    first_weight: float  # share among this channel's campaigns for a first visit
    return_weight: float  # ... for a returning visitor (retargeting, brand)
    landing_path: str
    ad_ids: tuple[str, ...]
    terms: tuple[str, ...] = ()  # search keywords (utm_term); empty = not a search campaign
    ad_group_id: str | None = None
    ad_group_name: str | None = None
    active: tuple[float, float] = (0.0, 1.0)  # active part of the simulated period


PLATFORMS = {
    p.source_system: p
    for p in (
        Platform("yandex_direct", "kuhni-demo-direct", "RUB", "yclid", ("https://yandex.ru/",)),
        Platform("google_ads", "512-384-9901", "USD", "gclid", ("https://www.google.com/",)),
        Platform("vk_ads", "1900412", "RUB", None, ("https://vk.com/", None)),
        Platform("mytarget", "mt-88213", "RUB", None, ("https://ok.ru/", "https://mail.ru/")),
        Platform("telegram_ads", "tg-ads-5521", "RUB", None, (None, "https://t.me/")),
    )
}

_SEARCH_TERMS = ("кухня на заказ", "кухни москва", "купить кухню", "kitchen moscow")
# fmt: off
CAMPAIGNS = (
    Campaign(
        "yandex_direct", "70114501", "Поиск | Кухни на заказ | Москва",
        "yandex", "cpc", "kitchens_search_msk", "Paid Search", 380.0, 0.062, 5, 2,
        "/kitchens/", ("16012345001", "16012345002"), _SEARCH_TERMS,
    ),
    Campaign(
        "yandex_direct", "70114502", "Поиск | Бренд",
        "yandex", "cpc", "brand_search", "Paid Search", 62.0, 0.21, 1, 5,
        "/", ("16012346001",), ("кухни демо", "kuhni demo"),
    ),
    Campaign(
        "yandex_direct", "70114503", "Поиск | Шкафы-купе",
        "yandex", "cpc", "шкафы_купе", "Paid Search", 260.0, 0.055, 3, 1,
        "/wardrobes/", ("16012347001",), ("шкаф купе на заказ", "гардеробная"),
    ),
    Campaign(
        "yandex_direct", "70114504", "РСЯ | Кухни | Ретаргетинг",
        "yandex", "display", "kitchens_rsya_retarget", "Display", 58.0, 0.006, 0, 4,
        "/kitchens/", ("16012348001", "16012348002"),
    ),
    Campaign(
        "yandex_direct", "70114505", "РСЯ | Осенняя распродажа кухонь",
        "yandex", "display", "кухни_осень", "Display", 46.0, 0.004, 4, 2,
        "/promo/autumn/", ("16012349001",), active=(0.35, 0.8),
    ),
    Campaign(
        "google_ads", "20871234561", "Search | Kitchens | Moscow",
        "google", "cpc", "kitchens_search", "Paid Search", 3.9, 0.048, 2, 1,
        "/kitchens/", ("6871200011",), _SEARCH_TERMS,
    ),
    Campaign(
        "google_ads", "20871234562", "Brand | Moscow",
        "google", "cpc", "brand moscow", "Paid Search", 0.85, 0.18, 0.5, 2,
        "/", ("6871200021",), ("kuhni demo",),
    ),
    Campaign(
        "vk_ads", "3150771", "VK | Кухни | Похожие аудитории",
        "vk", "paid_social", "vk_kitchens_lookalike", "Paid Social", 95.0, 0.009, 5, 1,
        "/kitchens/", ("vk-ad-9001", "vk-ad-9002"),
        ad_group_id="3150771-1", ad_group_name="Похожие на покупателей",
    ),
    Campaign(
        "vk_ads", "3150772", "VK | Ретаргетинг посетителей",
        "vk", "paid_social", "vk_retarget", "Paid Social", 70.0, 0.012, 0, 3,
        "/", ("vk-ad-9011",), ad_group_id="3150772-1", ad_group_name="Посетители сайта 30 дней",
    ),
    Campaign(
        "mytarget", "55120", "myTarget | Баннер | Кухни",
        "mytarget", "display", "mt_kitchens_banner", "Display", 38.0, 0.003, 3, 1,
        "/kitchens/", ("mt-b-301", "mt-b-302"),
    ),
    Campaign(
        "telegram_ads", "tg-0042", "Telegram | Каналы о дизайне интерьера",
        "telegram", "paid_social", "tg_interior_channels", "Paid Social", 140.0, 0.011, 3, 1,
        "/wardrobes/", ("tg-ad-17",), ad_group_id="tg-0042-a", ad_group_name="Дизайн интерьера",
    ),
)
# fmt: on

# Email: no spend; the campaign tag is the month's digest, or the weekly offer.
EMAIL_SOURCE, EMAIL_MEDIUM = "sendsay", "email"
EMAIL_WEEKLY_CAMPAIGN = "акция_недели"
EMAIL_REFERRERS = (None, None, "https://mail.yandex.ru/", "https://e.mail.ru/")

ORGANIC_REFERRERS = (
    "https://yandex.ru/search/?text=%D0%BA%D1%83%D1%85%D0%BD%D0%B8%20%D0%BD%D0%B0%20%D0%B7%D0%B0%D0%BA%D0%B0%D0%B7&lr=213",
    "https://yandex.ru/",
    "https://ya.ru/",
    "https://www.google.com/",
    "https://www.google.ru/",
)
SOCIAL_REFERRERS = ("https://vk.com/", "https://t.me/", "https://ok.ru/", "https://dzen.ru/")
REFERRAL_REFERRERS = (
    "https://www.houzz.ru/projects/kitchens",
    "https://vc.ru/design/1123-kak-vybrat-kuhnyu",
    "https://zoon.ru/msk/furniture/",
    "https://2gis.ru/moscow/firm/4504127908",
    "https://www.ivd.ru/dizajn-kuhni/",
)
ORGANIC_PATHS = ("/", "/kitchens/", "/wardrobes/", "/blog/kak-vybrat-fasad/", "/catalog/modern/")

# First visit of a new person: (channel, weight). Paid channels pick a campaign afterwards.
FIRST_TOUCH_MIX = (
    ("Paid Search", 27),
    ("Paid Social", 13),
    ("Display", 12),
    ("Organic Search", 20),
    ("Social", 7),
    ("Referral", 6),
    ("Direct", 11),
    ("Email", 4),
)
# A later visit: mostly navigational (direct, brand search), plus retargeting and e-mail.
RETURN_TOUCH_MIX = (
    ("Direct", 28),
    ("Organic Search", 19),
    ("Paid Search", 17),
    ("Email", 13),
    ("Paid Social", 8),
    ("Display", 8),
    ("Social", 4),
    ("Referral", 3),
)
SAME_CHANNEL_AGAIN = 0.25  # a later visit repeats the previous channel
# Between the touch that convinced a person and the lead: how they come back to the site.
NAVIGATION_MIX = (("Direct", 45), ("Organic Search", 25), ("Paid Search", 15), ("Email", 15))
# A won customer's second order starts from here, and converts this much more readily.
REPEAT_TOUCH_MIX = (
    ("Email", 35),
    ("Direct", 25),
    ("Organic Search", 15),
    ("Paid Search", 15),
    ("Paid Social", 5),
    ("Display", 5),
)
REPEAT_BOOST = 8.0
REPEAT_AFTER_DAYS = (10, 50)

# The planted causal effect: each visit independently "convinces" its person with this
# probability; the first visit that does is the deal's true channel (planted_truth).
CONVERT_PROB = {
    "Paid Search": 0.050,
    "Paid Social": 0.016,
    "Display": 0.009,
    "Email": 0.060,
    "Organic Search": 0.040,
    "Social": 0.012,
    "Referral": 0.055,
    "Direct": 0.018,
}
# How much more likely a deal of this true channel is to end won.
WIN_FACTOR = {
    "Paid Search": 1.0,
    "Paid Social": 0.8,
    "Display": 0.75,
    "Email": 1.15,
    "Organic Search": 1.05,
    "Social": 0.9,
    "Referral": 1.2,
    "Direct": 1.0,
}
CONTINUE_PROB = 0.56  # after a visit that did not convince, the person comes back at all
MAX_TOUCHES = 14
SAME_DAY_RETURN = 0.3  # share of returns within the same day
RETURN_GAP_DAYS = 5.0  # mean gap between visits otherwise (exponential, capped at 30)
LEAD_IN_SAME_VISIT = 0.45  # the convincing visit is also the lead visit

TWO_BROWSERS = 0.15  # people seen on two client ids (desktop + phone)
FOREIGN_BUYER = 0.07  # deals in the USD export pipeline
CONTACT_KINDS = (("phone_and_email", 75), ("phone", 15), ("email", 10))
REPEAT_PURCHASE = 0.45  # a won customer comes back for a second order
REGISTERS_AFTER_PURCHASE = 0.5  # visits after that carry user_id
REGISTERED_BEFORE = 0.02  # people who already have a site account on their first visit
DEVICE_MIX = (("desktop", 45), ("mobile", 50), ("tablet", 5))

# How a deal is linked to the site (DESIGN.md "Stitching"), target shares.
LINK_KIND_SHARES = (
    ("visit_id", 0.35),
    ("client_id", 0.20),
    ("click_id", 0.10),
    ("contact_key", 0.10),  # phone lead: the call carries the session, the deal only the phone
    ("utm", 0.10),
    ("none", 0.15),
)

PIPELINES = {
    # name: (currency, lognormal median amount, sigma, cost-of-goods share range)
    "Кухни": ("RUB", 190_000.0, 0.45, (0.52, 0.66)),
    "Шкафы и гардеробные": ("RUB", 80_000.0, 0.4, (0.48, 0.62)),
    "Экспорт": ("USD", 3_200.0, 0.5, (0.55, 0.7)),
}
RUB_PIPELINE_MIX = (("Кухни", 62), ("Шкафы и гардеробные", 38))
STAGES = ("new", "qualified", "proposal")  # then "won" or "lost"
QUALIFY_PROB, PROPOSAL_PROB, WIN_PROB = 0.75, 0.8, 0.58
COST_OF_GOODS_MISSING = 0.15
MANAGERS = {  # manager: win-rate factor
    "Анна Смирнова": 1.15,
    "Дмитрий Козлов": 0.9,
    "Елена Волкова": 1.05,
    "Игорь Петров": 0.85,
    "Мария Соколова": 1.0,
}

STRAY_CALL_PROB = 0.004  # a visit that produces a call without becoming a deal
UNTRACKED_CALL_SHARE = 0.2  # such calls with no tracked web session
CALL_FROM_OTHER_BROWSER = 0.6  # a two-browser person also phoned during a session on the other

# Ad platforms report more clicks than analytics sees visits (bounces, blocked counters).
CLICKS_PER_VISIT = (1.04, 1.28)

# Local-hour profile of visits (Moscow), index = hour.
HOUR_WEIGHTS = (
    1, 0.6, 0.4, 0.3, 0.3, 0.5, 1, 2, 3.5, 5, 6, 6.5,
    6.5, 6.5, 6.5, 6.5, 6, 6, 6, 6.5, 7, 6.5, 4.5, 2.5,
)  # fmt: skip
WEEKDAY_FACTOR = (1.06, 1.08, 1.06, 1.04, 0.98, 0.86, 0.92)  # Monday first
