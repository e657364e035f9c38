"""Texts of the Managers page (``managers.*``), in Russian and English."""

MESSAGES: dict[str, dict[str, str]] = {
    "managers.title": {"ru": "Менеджеры", "en": "Managers"},
    "managers.newer_snapshot": {
        "ru": "Странице менеджеров нужен более новый снимок данных: запустите `make build`.",
        "en": "The Managers page needs a newer snapshot: run `make build`.",
    },
    "managers.caption": {
        "ru": "Сделки, созданные {start} … {end}, по всем источникам; исход и выручка относятся "
        "к дню создания сделки. Модель атрибуции и фильтр каналов здесь не действуют.",
        "en": "Deals created {start} … {end}, every source; their outcome and revenue belong to "
        "the day the deal was created. The attribution model and the channel filter do not "
        "apply here.",
    },
    "managers.by_manager": {"ru": "По менеджерам", "en": "By manager"},
    "managers.no_deals": {
        "ru": "За эти даты сделок нет.",
        "en": "No deals were created in these dates.",
    },
    "managers.col.manager": {"ru": "Менеджер", "en": "Manager"},
    "managers.col.deals": {"ru": "Сделки", "en": "Deals"},
    "managers.col.lost": {"ru": "Проиграно", "en": "Lost"},
    "managers.col.open": {"ru": "Открыты", "en": "Still open"},
    "managers.col.win_rate": {"ru": "Доля выигранных", "en": "Win rate"},
    "managers.col.avg_cycle_days": {"ru": "Средний цикл, дн.", "en": "Avg cycle, days"},
    "managers.col.deal_id": {"ru": "ID сделки", "en": "Deal ID"},
    "managers.col.pipeline": {"ru": "Воронка", "en": "Pipeline"},
    "managers.col.stage": {"ru": "Этап", "en": "Stage"},
    "managers.col.created": {"ru": "Создана", "en": "Created"},
    "managers.col.age_days": {"ru": "Возраст, дн.", "en": "Age, days"},
    "managers.col.amount": {"ru": "Сумма, {cur}", "en": "Amount, {cur}"},
    "managers.help.win_rate": {
        "ru": "Выигранные / (выигранные + проигранные): открытые сделки не учитываются, пока "
        "не закрыты. «—», если ни одна сделка не закрыта.",
        "en": 'Won / (won + lost): open deals do not count until they close. "—" when none '
        "has closed.",
    },
    "managers.help.avg_cycle_days": {
        "ru": "Среднее число дней от создания до закрытия (выигрыша или проигрыша) по закрытым "
        "сделкам периода. «—», если ни одна не закрыта.",
        "en": "Average days from creation to close (won or lost) over the period's closed "
        'deals. "—" when none has closed.',
    },
    "managers.chart_title": {
        "ru": "Сделки менеджеров: выиграно, проиграно, открыто",
        "en": "Deals per manager: won, lost, still open",
    },
    "managers.chart.deals_won": {"ru": "Выиграно", "en": "Won"},
    "managers.chart.deals_lost": {"ru": "Проиграно", "en": "Lost"},
    "managers.chart.deals_open": {"ru": "Открыты", "en": "Still open"},
    "managers.open_title": {"ru": "Зависшие открытые сделки", "en": "Open deals waiting too long"},
    "managers.older_than": {"ru": "Старше, дней", "en": "Older than, days"},
    "managers.older_than_help": {
        "ru": "Открытые сделки, созданные больше стольких дней назад. Возраст считается от "
        "последнего дня в данных, а не от сегодняшней даты; боковой фильтр дат не действует.",
        "en": "Open deals created more than this many days ago. Age is counted to the last day "
        "with data, not today; the sidebar dates do not apply.",
    },
    "managers.open_caption": {
        "ru": "{n} открытых сделок старше {days} дн. на {as_of}, на сумму {amount}.",
        "en": "{n} open deals older than {days} days as of {as_of}, worth {amount}.",
    },
    "managers.no_open": {"ru": "Открытых сделок нет.", "en": "No deal is open."},
}
