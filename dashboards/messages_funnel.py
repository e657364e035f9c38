"""Texts of the Funnel page's stage funnel (``funnel.*``; ``funnel.table`` is in messages.py)."""

MESSAGES: dict[str, dict[str, str]] = {
    "funnel.newer_snapshot": {
        "ru": "Для воронки по этапам CRM нужен более новый снимок данных: запустите `make build`.",
        "en": "The funnel by CRM stage needs a newer snapshot: run `make build`.",
    },
    "funnel.stages": {"ru": "Этапы сделок по каналам", "en": "Deal stages by channel"},
    "funnel.pipeline": {"ru": "Воронка CRM", "en": "CRM pipeline"},
    "funnel.pipeline_help": {
        "ru": "«Все воронки» складывают этапы с одинаковым названием.",
        "en": "“All pipelines” adds up stages of the same name.",
    },
    "funnel.all_pipelines": {"ru": "Все воронки", "en": "All pipelines"},
    "funnel.channel": {"ru": "Канал на графиках", "en": "Channel in the charts"},
    "funnel.all_channels": {"ru": "Все выбранные каналы", "en": "All selected channels"},
    "funnel.total": {"ru": "Итого", "en": "Total"},
    "funnel.with_visits": {"ru": "Начинать с визитов", "en": "Start from visits"},
    "funnel.with_visits_help": {
        "ru": "Визитов обычно в десятки раз больше, чем лидов: без них этапы сделок видны лучше.",
        "en": "Visits usually outnumber leads many times over: without them the deal stages "
        "are easier to see.",
    },
    "funnel.reach_note": {
        "ru": "Сделка считается на этапе, если вошла в него или прошла его по пути к более "
        "позднему; выигранная — на всех этапах. Сделки — доля, начисленная моделью атрибуции, "
        "по дню создания сделки; визиты — по дню визита.",
        "en": "A deal counts at a stage it entered or passed on its way to a later one; a won "
        "deal at every stage. Deals are the attribution model's credit, dated by the deal's "
        "creation; visits by the visit's day.",
    },
    "funnel.young_deals": {
        "ru": "Недавние сделки ещё движутся по этапам: в последних днях поздние этапы и продажи "
        "со временем вырастут.",
        "en": "Recent deals are still moving through the stages: for the latest days the later "
        "stages and won deals fill up with time.",
    },
    "funnel.no_history": {
        "ru": "У {share} лидов нет истории этапов в CRM: они учтены только как лиды и продажи.",
        "en": "{share} of leads have no CRM stage history: they count as leads and won only.",
    },
    "funnel.one_pipeline": {
        "ru": "Визиты не делятся по воронкам: визит → лид здесь считает только лиды воронки "
        "«{pipeline}».",
        "en": "Visits are not split by pipeline: visit → lead here counts only the leads of "
        "“{pipeline}”.",
    },
    "funnel.vs_previous": {
        "ru": "Изменение конверсии — против {start} … {end} (столько же дней до), в п.п.",
        "en": "Conversion change vs {start} … {end} (as many days before), in pp.",
    },
    "funnel.no_previous": {
        "ru": "Сравнения нет: период до ({start} … {end}) начинается раньше данных ({first}).",
        "en": "No comparison: the period before ({start} … {end}) starts before the data "
        "({first}).",
    },
    "funnel.kpi_help_prev": {
        "ru": "Изменение против {start} … {end}",
        "en": "Change vs {start} … {end}",
    },
    "funnel.no_leads": {
        "ru": "За эти даты нет ни визитов, ни лидов.",
        "en": "No visits or leads in these dates.",
    },
    # steps (CRM stages keep their own names)
    "funnel.step.visit": {"ru": "Визиты", "en": "Visits"},
    "funnel.step.lead": {"ru": "Лиды", "en": "Leads"},
    "funnel.step.won": {"ru": "Продажи", "en": "Won"},
    # charts
    "funnel.chart_title": {"ru": "Воронка: {channel}", "en": "Funnel: {channel}"},
    "funnel.of_previous": {"ru": "от предыдущего", "en": "of previous"},
    "funnel.of_first": {"ru": "от первого этапа", "en": "of the first step"},
    "funnel.conversion_title": {
        "ru": "Конверсия между этапами: {channel}",
        "en": "Conversion between stages: {channel}",
    },
    "funnel.this_period": {"ru": "Этот период", "en": "This period"},
    "funnel.previous_period": {"ru": "Прошлый период", "en": "Previous period"},
    # table
    "funnel.col.stage": {"ru": "Этап", "en": "Stage"},
    "funnel.col.deals": {"ru": "Визиты / сделки", "en": "Visits / deals"},
    "funnel.col.conversion": {"ru": "CR из предыдущего", "en": "CR from previous"},
    "funnel.col.drop_off": {"ru": "Потеряно", "en": "Lost"},
    "funnel.col.drop_off_share": {"ru": "Потеряно, %", "en": "Lost, %"},
    "funnel.col.conversion_prev": {"ru": "CR, прошлый период", "en": "CR, previous period"},
    "funnel.col.change_pp": {"ru": "Изменение CR, п.п.", "en": "CR change, pp"},
    "funnel.help.conversion": {
        "ru": "этот этап / предыдущий этап",
        "en": "this stage / the stage before",
    },
    "funnel.help.drop_off": {
        "ru": "предыдущий этап − этот этап",
        "en": "the stage before − this stage",
    },
    "funnel.help.drop_off_share": {"ru": "1 − CR из предыдущего", "en": "1 − CR from previous"},
    "funnel.help.change_pp": {
        "ru": "(CR − CR прошлого периода) × 100",
        "en": "(CR − CR of the previous period) × 100",
    },
}
