"""Every user-facing text of the dashboards, in Russian and English (data only, plus a lookup).

Keys are dotted by where they appear (``page.``, ``filter.``, ``col.``, ``chart.``, a page's own
prefix). A text may take ``str.format`` fields, named the same in both languages. Channel names
and other data values are never translated.
"""

from __future__ import annotations

LANGUAGES = ("ru", "en")

MESSAGES: dict[str, dict[str, str]] = {
    # --- router and language switch -------------------------------------------------------------
    "app.language": {"ru": "Язык", "en": "Language"},
    "page.overview": {"ru": "Обзор", "en": "Overview"},
    "page.channel_roi": {"ru": "ROI каналов", "en": "Channel ROI"},
    "page.funnel": {"ru": "Воронка", "en": "Funnel"},
    "page.model_comparison": {"ru": "Сравнение моделей", "en": "Model comparison"},
    # --- snapshot guard and sidebar filters -----------------------------------------------------
    "filter.no_data": {
        "ru": "Данные ещё не опубликованы: запустите `make build` и обновите страницу.",
        "en": "No data published yet: run `make build`, then reload this page.",
    },
    "filter.empty_snapshot": {
        "ru": "В опубликованном снимке пока нет строк: проверьте источники и запустите "
        "`make build`.",
        "en": "The published snapshot has no rows yet: check the sources and run `make build`.",
    },
    "filter.period": {"ru": "Период", "en": "Period"},
    "filter.period_help": {
        "ru": "Отсчёт от последнего дня в данных ({last}), а не от сегодняшней даты.",
        "en": "Counted back from the last day with data ({last}), not from today.",
    },
    "preset.last_7": {"ru": "Последние 7 дней", "en": "Last 7 days"},
    "preset.last_30": {"ru": "Последние 30 дней", "en": "Last 30 days"},
    "preset.last_90": {"ru": "Последние 90 дней", "en": "Last 90 days"},
    "preset.this_month": {"ru": "Этот месяц", "en": "This month"},
    "preset.previous_month": {"ru": "Прошлый месяц", "en": "Previous month"},
    "preset.custom": {"ru": "Свой период", "en": "Custom"},
    "filter.dates": {"ru": "Даты", "en": "Date range"},
    "filter.dates_help": {
        "ru": "Данные есть за {first} … {last}. Лиды, сделки и выручка датируются созданием "
        "сделки.",
        "en": "Data covers {first} … {last}. Leads, won deals and revenue are dated by the "
        "deal's creation.",
    },
    "filter.model": {"ru": "Модель атрибуции", "en": "Attribution model"},
    "filter.model_help": {
        "ru": "Как лид, продажа и выручка сделки распределяются между каналами её пути.",
        "en": "How a deal's lead, sale and revenue are credited to the channels on its path.",
    },
    "filter.channels": {"ru": "Каналы", "en": "Channels"},
    "filter.all_channels": {"ru": "Все каналы", "en": "All channels"},
    "filter.all_channels_lower": {"ru": "все каналы", "en": "all channels"},
    "filter.data_as_of": {
        "ru": "Данные на {when} {tz} ({timezone})",
        "en": "Data as of {when} {tz} ({timezone})",
    },
    "filter.money_in": {"ru": "Деньги в {currency}", "en": "Money in {currency}"},
    "filter.sources": {"ru": "источники: {sources}", "en": "sources: {sources}"},
    "filter.caption": {
        "ru": "{start} … {end} · атрибуция: {model} · {channels}",
        "en": "{start} … {end} · {model} attribution · {channels}",
    },
    # --- attribution models (known names; others are shown as they are) -------------------------
    "model.first_touch": {"ru": "Первое касание", "en": "First touch"},
    "model.last_touch": {"ru": "Последнее касание", "en": "Last touch"},
    "model.last_non_direct": {"ru": "Последний непрямой", "en": "Last non direct"},
    "model.linear": {"ru": "Линейная", "en": "Linear"},
    "model.position_based": {"ru": "По позиции", "en": "Position based"},
    "model.time_decay": {"ru": "С затуханием", "en": "Time decay"},
    "model.markov": {"ru": "Марковская", "en": "Markov"},
    "model.shapley": {"ru": "Шепли", "en": "Shapley"},
    "model.w_shaped": {"ru": "W-образная", "en": "W shaped"},
    # --- table columns and KPI labels ({cur} = the reporting currency) --------------------------
    "col.channel": {"ru": "Канал", "en": "Channel"},
    "col.source": {"ru": "Источник", "en": "Source"},
    "col.campaign_id": {"ru": "ID кампании", "en": "Campaign ID"},
    "col.campaign": {"ru": "Кампания", "en": "Campaign"},
    "col.cost": {"ru": "Расход, {cur}", "en": "Cost, {cur}"},
    "col.visits": {"ru": "Визиты", "en": "Visits"},
    "col.leads": {"ru": "Лиды", "en": "Leads"},
    "col.won": {"ru": "Продажи", "en": "Won"},
    "col.revenue": {"ru": "Выручка, {cur}", "en": "Revenue, {cur}"},
    "col.cpl": {"ru": "CPL, {cur}", "en": "CPL, {cur}"},
    "col.cac": {"ru": "CAC, {cur}", "en": "CAC, {cur}"},
    "col.roi": {"ru": "ROI", "en": "ROI"},
    "col.romi": {"ru": "ROMI", "en": "ROMI"},
    "col.drr": {"ru": "ДРР", "en": "ДРР (ad cost share)"},
    "col.cr_visit_lead": {"ru": "CR визит → лид", "en": "CR visit → lead"},
    "col.cr_lead_won": {"ru": "CR лид → продажа", "en": "CR lead → won"},
    "col.drop_visit_lead": {"ru": "Потеряно визит → лид", "en": "Lost visit → lead"},
    "col.drop_visit_lead_share": {"ru": "Потеряно визит → лид, %", "en": "Lost visit → lead, %"},
    "col.drop_lead_won": {"ru": "Потеряно лид → продажа", "en": "Lost lead → won"},
    "col.drop_lead_won_share": {"ru": "Потеряно лид → продажа, %", "en": "Lost lead → won, %"},
    "col.model": {"ru": "Модель", "en": "Model"},
    "col.cost_share": {"ru": "Доля расхода", "en": "Cost share"},
    "col.revenue_share": {"ru": "Доля выручки", "en": "Revenue share"},
    "col.shift_pp": {"ru": "Сдвиг, п.п.", "en": "Shift, pp"},
    "col.misallocated": {"ru": "Ошибочно отнесено", "en": "Misallocated"},
    "col.deals_scored": {"ru": "Сделок оценено", "en": "Deals scored"},
    "col.planted_leads": {"ru": "Заложено лидов", "en": "Planted leads"},
    "col.credited_leads": {"ru": "Начислено лидов", "en": "Credited leads"},
    "col.planted_share": {"ru": "Заложенная доля", "en": "Planted share"},
    "col.credited_share": {"ru": "Начисленная доля", "en": "Credited share"},
    "col.error": {"ru": "Ошибка", "en": "Error"},
    "col.share": {"ru": "Доля", "en": "Share"},
    "col.share_low": {"ru": "95% нижн.", "en": "95% low"},
    "col.share_high": {"ru": "95% верхн.", "en": "95% high"},
    "col.removal_effect": {"ru": "Эффект удаления", "en": "Removal effect"},
    "help.cpl": {"ru": "расход / лиды", "en": "cost / leads"},
    "help.cac": {"ru": "расход / продажи", "en": "cost / won"},
    "help.roi": {"ru": "(выручка − расход) / расход", "en": "(revenue − cost) / cost"},
    "help.romi": {
        "ru": "(выручка − себестоимость − расход) / расход",
        "en": "(revenue − cost of goods − cost) / cost",
    },
    "help.drr": {
        "ru": "доля рекламных расходов: расход / выручка",
        "en": "доля рекламных расходов, ad cost share: cost / revenue",
    },
    "help.drop_visit_lead": {"ru": "визиты − лиды", "en": "visits − leads"},
    "help.drop_visit_lead_share": {"ru": "1 − CR визит → лид", "en": "1 − CR visit → lead"},
    "help.drop_lead_won": {"ru": "лиды − продажи", "en": "leads − won"},
    "help.drop_lead_won_share": {"ru": "1 − CR лид → продажа", "en": "1 − CR lead → won"},
    "help.revenue_share": {
        "ru": "— когда модель не начисляет выручки",
        "en": "— when the model credits no revenue",
    },
    "help.shift_pp": {"ru": "доля выручки − доля расхода", "en": "revenue share − cost share"},
    "help.misallocated": {
        "ru": "Σ |начисленная доля − заложенная доля| / 2",
        "en": "Σ |credited share − planted share| / 2",
    },
    "help.error": {
        "ru": "начисленная доля − заложенная доля",
        "en": "credited share − planted share",
    },
    "help.removal_effect": {
        "ru": "1 − P(конверсия без канала) / P(конверсия)",
        "en": "1 − P(conversion without the channel) / P(conversion)",
    },
    # --- downloads ------------------------------------------------------------------------------
    "download.csv": {"ru": "CSV", "en": "CSV"},
    "download.xlsx": {"ru": "Excel (XLSX)", "en": "Excel (XLSX)"},
    "download.help": {
        "ru": "Скачать таблицу как она показана (все строки).",
        "en": "Download the table as shown (all rows).",
    },
    # --- charts ---------------------------------------------------------------------------------
    "chart.no_data": {"ru": "Нет данных для этих фильтров", "en": "No data for these filters"},
    "chart.cost": {"ru": "Расход", "en": "Cost"},
    "chart.revenue": {"ru": "Выручка", "en": "Revenue"},
    "chart.leads": {"ru": "Лиды", "en": "Leads"},
    "chart.scatter_title": {
        "ru": "Расход и выручка по каналам (пузырь = лиды)",
        "en": "Cost vs revenue by channel (bubble = leads)",
    },
    "chart.break_even": {
        "ru": "Окупаемость (выручка = расход)",
        "en": "Break-even (revenue = cost)",
    },
    "chart.bars_title": {
        "ru": "Расход и выручка по каналам, {cur}",
        "en": "Cost and revenue by channel, {cur}",
    },
    "chart.funnel_title": {
        "ru": "Воронка: визиты → лиды → продажи",
        "en": "Funnel: visits → leads → won",
    },
    "chart.stage_visits": {"ru": "Визиты", "en": "Visits"},
    "chart.stage_leads": {"ru": "Лиды", "en": "Leads"},
    "chart.stage_won": {"ru": "Продажи", "en": "Won"},
    "chart.of_visits": {"ru": "от визитов", "en": "of visits"},
    "chart.of_leads": {"ru": "от лидов", "en": "of leads"},
    "chart.of_previous": {"ru": "от предыдущего этапа", "en": "of previous stage"},
    "chart.selected_channels": {"ru": "Выбранные каналы", "en": "Selected channels"},
    "chart.conversion_title": {"ru": "Конверсия по каналам", "en": "Conversion by channel"},
    "chart.visit_lead": {"ru": "Визит → лид", "en": "Visit → lead"},
    "chart.lead_won": {"ru": "Лид → продажа", "en": "Lead → won"},
    "chart.credit_title": {
        "ru": "{measure} по каналам в каждой модели",
        "en": "{measure} by channel under each model",
    },
    "chart.shift_title": {
        "ru": "Сдвиг бюджета ({model}): доля выручки − доля расхода",
        "en": "Budget shift under {model}: revenue share − cost share",
    },
    "chart.shift": {"ru": "Сдвиг", "en": "Shift"},
    "chart.percentage_points": {"ru": "Процентные пункты", "en": "Percentage points"},
    "chart.pp": {"ru": "п.п.", "en": "pp"},
    "chart.misallocation_title": {
        "ru": "Доля лидов, отнесённых не к тому каналу (меньше — лучше)",
        "en": "Share of leads credited to the wrong channel (lower is better)",
    },
    "chart.misallocated": {"ru": "Ошибочно отнесено", "en": "Misallocated share"},
    "chart.misallocated_hover": {"ru": "лидов отнесено неверно", "en": "of leads misallocated"},
    "chart.trend_title": {
        "ru": "Динамика: расход, выручка и лиды по {grain}",
        "en": "Trend: cost, revenue and leads by {grain}",
    },
    "chart.grain_day": {"ru": "дням", "en": "day"},
    "chart.grain_week": {"ru": "неделям", "en": "week"},
    # --- Overview -------------------------------------------------------------------------------
    "ov.kpi_help_prev": {
        "ru": "Изменение к предыдущему периоду той же длины: {start} … {end}.",
        "en": "Change vs the previous period of equal length: {start} … {end}.",
    },
    "ov.no_previous": {
        "ru": "Предыдущий период ({start} … {end}) начинается раньше данных ({first}): "
        "изменения не показаны (—).",
        "en": "The previous period ({start} … {end}) starts before the data ({first}): "
        "no changes shown (—).",
    },
    "ov.vs_previous": {
        "ru": "Стрелки — изменение к {start} … {end}; для ROI, ROMI и ДРР в процентных пунктах.",
        "en": "Arrows: change vs {start} … {end}; for ROI, ROMI and ДРР in percentage points.",
    },
    "ov.trend": {"ru": "Динамика", "en": "Trend"},
    "ov.grain": {"ru": "Шаг", "en": "Step"},
    "ov.grain.day": {"ru": "День", "en": "Day"},
    "ov.grain.week": {"ru": "Неделя", "en": "Week"},
    "ov.week_note": {
        "ru": "Недели начинаются с понедельника; первая и последняя могут быть неполными.",
        "en": "Weeks start on Monday; the first and the last may be partial.",
    },
    "ov.channels": {"ru": "Лучшие и худшие каналы", "en": "Top and bottom channels"},
    "ov.ranking_note": {
        "ru": "По ROI среди каналов с расходом (до трёх с каждой стороны, без повторов).",
        "en": "By ROI among channels with cost (up to three each side, none in both).",
    },
    "ov.top": {"ru": "Лучшие по ROI", "en": "Top by ROI"},
    "ov.bottom": {"ru": "Худшие по ROI", "en": "Bottom by ROI"},
    "ov.no_bottom": {
        "ru": "Нужно больше каналов с расходом, чтобы показать худшие.",
        "en": "Too few channels with cost to show a bottom list.",
    },
    "ov.unranked": {
        "ru": "Без расхода (ROI —), по выручке: {channels}.",
        "en": "No cost (ROI —), by revenue: {channels}.",
    },
    # --- Channel ROI ----------------------------------------------------------------------------
    "roi.help_roi": {
        "ru": "(выручка − расход) / расход; — когда расхода не было.",
        "en": "(revenue − cost) / cost; — when there was no cost.",
    },
    "roi.unattributed": {
        "ru": "Без атрибуции (канал `{channel}`, сделку не удалось связать с визитом): "
        "{leads} лидов, {revenue} выручки.",
        "en": "Unattributed (channel `{channel}`, no visit could be tied to the deal): "
        "{leads} of leads, {revenue} of revenue.",
    },
    "roi.by_channel": {"ru": "По каналам", "en": "By channel"},
    "roi.breakdown": {"ru": "Разбивка", "en": "Breakdown"},
    "roi.breakdown_help": {
        "ru": "Детализация от каналов к источникам и кампаниям (выберите каналы в боковой "
        "панели, чтобы сузить список).",
        "en": "Drill down from channels to their sources and campaigns (pick channels in the "
        "sidebar to narrow the list).",
    },
    "roi.level.channel": {"ru": "Канал", "en": "Channel"},
    "roi.level.source": {"ru": "Канал › источник", "en": "Channel › source"},
    "roi.level.campaign": {
        "ru": "Канал › источник › кампания",
        "en": "Channel › source › campaign",
    },
    # --- Funnel ---------------------------------------------------------------------------------
    "funnel.table": {
        "ru": "Конверсия и потери по каналам",
        "en": "Conversion and drop-off by channel",
    },
    # --- Model comparison -----------------------------------------------------------------------
    "mc.newer_snapshot": {
        "ru": "Для сравнения моделей нужен более новый снимок: запустите `make build`.",
        "en": "Model comparison needs a newer snapshot: run `make build`.",
    },
    "mc.no_planted_truth": {
        "ru": "Точность появится, когда включён демо-источник: его симуляция закладывает канал, "
        "который на самом деле привёл каждую сделку, и каждая модель сверяется с ним.",
        "en": "Accuracy appears when the demo source is enabled: its simulation plants the "
        "channel that really drove each deal, and every model is scored against it.",
    },
    "mc.caption": {
        "ru": "{months} (целые месяцы, пересекающие {start} … {end}) · все модели · {channels}",
        "en": "{months} (whole months overlapping {start} … {end}) · every model · {channels}",
    },
    "mc.no_rows": {
        "ru": "Нет строк сравнения моделей за {months}: запустите `make build`.",
        "en": "No model comparison rows for {months}: run `make build`.",
    },
    "mc.credit": {"ru": "Начисления рядом", "en": "Credit side by side"},
    "mc.measure": {"ru": "Показатель", "en": "Measure"},
    "mc.measure_help": {
        "ru": "Лиды, продажи и выручка, как их начисляет каналам каждая модель.",
        "en": "Leads, won deals and revenue as each model credits them to the channels.",
    },
    "mc.in_total_leads": {"ru": "{value} лидов", "en": "{value} leads"},
    "mc.in_total_deals_won": {"ru": "{value} продаж", "en": "{value} won deals"},
    "mc.in_total_revenue": {"ru": "{value} выручки", "en": "{value} of revenue"},
    "mc.conserved": {
        "ru": "Каждая модель начисляет одни и те же {total} по всем каналам: модели только "
        "перераспределяют начисления между каналами, ничего не добавляя и не теряя.",
        "en": "Every model credits the same {total} over all channels: models only move credit "
        "between channels, they neither add nor lose any.",
    },
    "mc.total_selected": {
        "ru": " Строка «Итого» — только выбранные каналы.",
        "en": " The Total row is the selected channels only.",
    },
    "mc.not_conserved": {
        "ru": "Итоги моделей различаются (так быть не должно: проверьте сборку атрибуции): "
        "{totals}",
        "en": "The models' totals differ (they should not: check the attribution build): {totals}",
    },
    "mc.budget_shift": {"ru": "Сдвиг бюджета", "en": "Budget shift"},
    "mc.model": {"ru": "Модель", "en": "Model"},
    "mc.shift_model_help": {
        "ru": "Чью выручку сопоставить с расходом.",
        "en": "Whose revenue credit to set against the spend.",
    },
    "mc.shift_caption": {
        "ru": "Доля канала в расходе против его доли в выручке модели за месяцы выше; сдвиг = "
        "доля выручки − доля расхода, в процентных пунктах: плюс значит, что по модели канал "
        "зарабатывает больше своей доли расхода. Доли — от всех каналов; фильтр каналов только "
        "сужает строки.",
        "en": "Each channel's share of the cost against its share of the model's revenue over "
        "the months above; shift = revenue share − cost share, in percentage points: positive "
        "means the model says the channel earns more than its share of spend. Shares are of "
        "all channels; the channel filter only narrows the rows.",
    },
    "mc.accuracy": {"ru": "Точность на заложенной истине", "en": "Accuracy on planted truth"},
    "mc.accuracy_caption": {
        "ru": "Оценено на {deals} сделках, чей истинный канал заложила демо-симуляция (все даты "
        "и каналы: боковая панель не применяется). Ошибочно отнесено = Σ |начисленная доля − "
        "заложенная доля| / 2 — доля лидов, которую модель отдаёт не тому каналу.",
        "en": "Scored on the {deals} deals whose true channel the demo simulation planted (all "
        "dates and channels: the sidebar does not apply). Misallocated = Σ |credited share − "
        "planted share| / 2, the share of leads a model gives to the wrong channel.",
    },
    "mc.planted_vs_credited": {
        "ru": "Заложенная и начисленная доля по каналам",
        "en": "Planted vs credited share by channel",
    },
    "mc.markov": {
        "ru": "Марковская модель: доля конверсий с 95% интервалом",
        "en": "Markov: share of conversions, with 95% interval",
    },
    "mc.markov_too_little": {
        "ru": "Слишком мало данных: {conversions} конверсий. Такие неопределённые доли не "
        "должны двигать бюджет; сравните ширину интервалов ниже.",
        "en": "Too little data: {conversions} conversions. Data-driven shares this uncertain "
        "should not move budget; compare the interval widths below.",
    },
    "mc.markov_caption": {
        "ru": "Доли по эффекту удаления по всем {conversions} конверсиям и всем путям "
        "опубликованных данных (боковая панель не применяется); интервал — по бутстрэп-выборкам "
        "путей.",
        "en": "Removal-effect shares over all {conversions} conversions and every path of the "
        "published data (the sidebar does not apply); the interval is from bootstrap resamples "
        "of the paths.",
    },
    "mc.shapley": {
        "ru": "Модель Шепли: доля конверсий с 95% интервалом",
        "en": "Shapley: share of conversions, with 95% interval",
    },
    "mc.shapley_caption": {
        "ru": "Доли Шепли по всем {conversions} конверсиям с непустым путём в опубликованных "
        "данных (боковая панель не применяется); интервал — по бутстрэп-выборкам путей.",
        "en": "Shapley shares over all {conversions} conversions with a path in the published "
        "data (the sidebar does not apply); the interval is from bootstrap resamples of the paths.",
    },
    "mc.total": {"ru": "Итого", "en": "Total"},
}


def _merge_page_messages() -> None:
    """Pages with many texts keep them beside their queries, in ``messages_<page>.py`` (a
    ``MESSAGES`` dict of the same shape); a key defined twice is a bug, caught here."""
    import importlib
    import pkgutil
    from pathlib import Path

    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module.name.startswith("messages_"):
            extra = importlib.import_module(f"dashboards.{module.name}").MESSAGES
            clash = set(extra) & set(MESSAGES)
            if clash:
                raise KeyError(f"{module.name} redefines {sorted(clash)}")
            MESSAGES.update(extra)


_merge_page_messages()


def translate(key: str, lang: str, **fields: object) -> str:
    """The text for ``key`` in ``lang`` (English when ``lang`` is unknown), formatted."""
    entry = MESSAGES[key]
    text = entry.get(lang, entry["en"])
    return text.format(**fields) if fields else text
