"""Texts of the Month close page."""

MESSAGES: dict[str, dict[str, str]] = {
    "close.title": {"ru": "Закрытие месяца", "en": "Month close"},
    "close.none": {
        "ru": "Закрытых месяцев пока нет: `make close-month MONTH=ГГГГ-ММ` сохранит месяц как "
        "есть сейчас, и здесь появится сравнение.",
        "en": "No month is closed yet: `make close-month MONTH=YYYY-MM` freezes a month as it is "
        "now, and the comparison appears here.",
    },
    "close.month": {"ru": "Месяц", "en": "Month"},
    "close.caption": {
        "ru": "Месяц {month}: как закрыт {closed_at} и как сейчас, модель «{model}», "
        "по источникам.",
        "en": "{month} as closed on {closed_at} and as of today, model “{model}”, by source.",
    },
    "close.col.source": {"ru": "Источник", "en": "Source"},
    "close.col.closed": {"ru": "{metric}: закрыто", "en": "{metric}: as closed"},
    "close.col.now": {"ru": "{metric}: сейчас", "en": "{metric}: today"},
    "close.col.diff": {"ru": "{metric}: разница", "en": "{metric}: change"},
    "close.col.reason": {"ru": "Почему", "en": "Why"},
    "close.reason.cost": {
        "ru": "площадка пересчитала расход",
        "en": "the ad platform restated cost",
    },
    "close.reason.deals": {
        "ru": "сделки изменились после закрытия",
        "en": "deals were edited after the close",
    },
    "close.reason.both": {
        "ru": "пересчёт расхода и правки сделок",
        "en": "restated cost and late deal edits",
    },
    "close.reason.none": {"ru": "без изменений", "en": "unchanged"},
}
