"""Texts of the Channels & campaigns page (merged into ``dashboards.messages``)."""

MESSAGES: dict[str, dict[str, str]] = {
    "channels.page_title": {"ru": "Каналы и кампании", "en": "Channels & campaigns"},
    "channels.no_credit_table": {
        "ru": "В опубликованных данных ещё нет списка сделок по касаниям (fct_deal_credit): "
        "таблица есть, «почему это число» появится после следующей сборки (`make build`).",
        "en": "The published data has no deal-by-touch list yet (fct_deal_credit): the table "
        "works, “why this number” appears after the next build (`make build`).",
    },
    # --- drill and sort -------------------------------------------------------------------------
    "channels.drill_channel": {"ru": "Канал", "en": "Channel"},
    "channels.drill_channel_help": {
        "ru": "Выберите канал, чтобы увидеть его источники.",
        "en": "Pick a channel to see its sources.",
    },
    "channels.all_channels": {"ru": "Все каналы", "en": "All channels"},
    "channels.drill_source": {"ru": "Источник", "en": "Source"},
    "channels.drill_source_help": {
        "ru": "Выберите источник, чтобы увидеть его кампании.",
        "en": "Pick a source to see its campaigns.",
    },
    "channels.all_sources": {"ru": "Все источники", "en": "All sources"},
    "channels.all_campaigns": {"ru": "Все кампании списком", "en": "Every campaign in one list"},
    "channels.all_campaigns_help": {
        "ru": "Кампании всех источников (выбранного канала, если он выбран) в одной таблице.",
        "en": "The campaigns of every source (of the picked channel, if one is) in one table.",
    },
    "channels.level.channel": {"ru": "Каналы", "en": "Channels"},
    "channels.level.source": {"ru": "Источники канала {channel}", "en": "Sources of {channel}"},
    "channels.level.campaign": {"ru": "Кампании: {scope}", "en": "Campaigns: {scope}"},
    "channels.sort_by": {"ru": "Сортировать по", "en": "Sort by"},
    "channels.sort_desc": {"ru": "Сначала большие", "en": "Largest first"},
    "channels.sort_help": {
        "ru": "Строки с «—» (нет знаменателя) всегда в конце. Можно сортировать и щелчком по "
        "заголовку столбца.",
        "en": "Rows with “—” (no denominator) always go last. A click on a column header sorts "
        "too.",
    },
    "channels.table_note": {
        "ru": "Лиды, продажи и выручка — доля, начисленная моделью атрибуции; расход, показы, "
        "клики и визиты от модели не зависят. «—» — знаменатель равен нулю.",
        "en": "Leads, won and revenue are the attribution model's credit; cost, impressions, "
        "clicks and visits do not depend on the model. “—”: the denominator is zero.",
    },
    # --- table columns --------------------------------------------------------------------------
    "channels.col.name": {"ru": "Строка", "en": "Row"},
    "channels.col.impressions": {"ru": "Показы", "en": "Impressions"},
    "channels.col.clicks": {"ru": "Клики", "en": "Clicks"},
    "channels.col.ctr": {"ru": "CTR", "en": "CTR"},
    "channels.col.cpc": {"ru": "CPC, {cur}", "en": "CPC, {cur}"},
    "channels.col.aov": {"ru": "Средний чек, {cur}", "en": "AOV, {cur}"},
    "channels.help.ctr": {"ru": "клики / показы", "en": "clicks / impressions"},
    "channels.help.cpc": {"ru": "расход / клики", "en": "cost / clicks"},
    "channels.help.cr_visit_lead": {"ru": "лиды / визиты", "en": "leads / visits"},
    "channels.help.cr_lead_won": {"ru": "продажи / лиды", "en": "won / leads"},
    "channels.help.aov": {"ru": "выручка / продажи", "en": "revenue / won"},
    # --- chart ----------------------------------------------------------------------------------
    "channels.chart_title": {
        "ru": "Расход и выручка: {level}, {cur}",
        "en": "Cost and revenue: {level}, {cur}",
    },
    "channels.chart_rows_note": {
        "ru": "На графике первые {shown} из {total} строк таблицы (в её порядке).",
        "en": "The chart shows the first {shown} of the table's {total} rows (in its order).",
    },
    "channels.chart_roi": {"ru": "ROI", "en": "ROI"},
    # --- why this number ------------------------------------------------------------------------
    "channels.why": {"ru": "Почему это число?", "en": "Why this number?"},
    "channels.why_intro": {
        "ru": "Выберите строку таблицы — и увидите сделки за ней: какие касания каждой сделки "
        "попали в строку и какой вес им дала модель.",
        "en": "Pick a row of the table to see the deals behind it: which of each deal's touches "
        "fall in the row and what weight the model gave them.",
    },
    "channels.why_row": {"ru": "Строка", "en": "Row"},
    "channels.why_row_placeholder": {"ru": "Выберите строку", "en": "Pick a row"},
    "channels.why_measure": {"ru": "Число", "en": "Number"},
    "channels.measure.leads": {"ru": "Лиды", "en": "Leads"},
    "channels.measure.deals_won": {"ru": "Продажи", "en": "Won"},
    "channels.measure.revenue": {"ru": "Выручка", "en": "Revenue"},
    "channels.why_totals": {
        "ru": "Сделок: {deals} · лиды {leads} · продажи {won} · выручка {revenue}",
        "en": "Deals: {deals} · leads {leads} · won {won} · revenue {revenue}",
    },
    "channels.why_matches": {
        "ru": "Сходится со строкой таблицы: {measure} = {value}.",
        "en": "Matches the table's row: {measure} = {value}.",
    },
    "channels.why_mismatch": {
        "ru": "Не сходится со строкой таблицы ({measure}: в таблице {table}, по сделкам "
        "{deals}): опубликованные данные неполны, пересоберите их (`make build`).",
        "en": "Does not match the table's row ({measure}: {table} in the table, {deals} from "
        "the deals): the published data is incomplete, rebuild it (`make build`).",
    },
    "channels.why_empty": {
        "ru": "Ни одна сделка не вносит вклада в «{measure}» этой строки в этой модели.",
        "en": "No deal adds to this row's “{measure}” under this model.",
    },
    "channels.why_note": {
        "ru": "Сделки датируются созданием. Лиды и продажи — сумма весов касаний строки; "
        "выручка — вес × сумма выигранной сделки. Сделки, чьи касания в строке получили "
        "вес 0, не показаны.",
        "en": "Deals are dated by their creation. Leads and won are the sum of the row's touch "
        "weights; revenue is weight × the won deal's amount. Deals whose touches in the row got "
        "weight 0 are left out.",
    },
    "channels.deals": {"ru": "Сделки", "en": "Deals"},
    "channels.touches": {
        "ru": "Касания этих сделок (весь путь)",
        "en": "Their touches (whole paths)",
    },
    "channels.col.deal_id": {"ru": "Сделка", "en": "Deal"},
    "channels.col.deal_source": {"ru": "CRM", "en": "CRM"},
    "channels.col.created_date": {"ru": "Создана", "en": "Created"},
    "channels.col.status": {"ru": "Статус", "en": "Status"},
    "channels.col.amount": {"ru": "Сумма, {cur}", "en": "Amount, {cur}"},
    "channels.col.touches": {"ru": "Касаний в строке", "en": "Touches in row"},
    "channels.col.path_touches": {"ru": "Касаний в пути", "en": "Touches in path"},
    "channels.col.credited_lead": {"ru": "Лид (доля)", "en": "Lead credit"},
    "channels.col.credited_won": {"ru": "Продажа (доля)", "en": "Won credit"},
    "channels.col.credited_revenue": {"ru": "Выручка (доля), {cur}", "en": "Revenue credit, {cur}"},
    "channels.col.path": {"ru": "Путь (канал вес)", "en": "Path (channel weight)"},
    "channels.col.touch_index": {"ru": "№", "en": "#"},
    "channels.col.touch_at": {"ru": "Время ({tz})", "en": "Time ({tz})"},
    "channels.col.touch_kind": {"ru": "Тип", "en": "Kind"},
    "channels.col.campaign_id": {"ru": "ID кампании", "en": "Campaign ID"},
    "channels.col.visit_id": {"ru": "Визит", "en": "Visit"},
    "channels.col.weight": {"ru": "Вес", "en": "Weight"},
    "channels.col.in_row": {"ru": "В строке", "en": "In row"},
    "channels.help.weight": {
        "ru": "доля сделки, которую модель отдала касанию (Σ по пути = 1)",
        "en": "the share of the deal the model gives the touch (Σ over the path = 1)",
    },
    "channels.help.in_row": {
        "ru": "касание относится к выбранной строке таблицы",
        "en": "the touch belongs to the picked row of the table",
    },
}
