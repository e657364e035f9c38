"""Texts of the Cohorts & LTV page (RU/EN), merged into ``messages.MESSAGES``."""

MESSAGES: dict[str, dict[str, str]] = {
    "cohorts.title": {"ru": "Когорты и LTV", "en": "Cohorts & LTV"},
    "cohorts.newer_snapshot": {
        "ru": "В опубликованных данных ещё нет когорт: запустите `make build`, чтобы их построить.",
        "en": "The published data has no cohorts yet: run `make build` to build them.",
    },
    "cohorts.no_customers": {
        "ru": "Нет покупателей, впервые купивших в {months}, для этих каналов.",
        "en": "No customers made their first purchase in {months} through these channels.",
    },
    "cohorts.caption": {
        "ru": "Покупатели, впервые купившие в {months} (месяцы, пересекающие {start} … {end}), "
        "по каналу первого касания первой покупки · {channels}. Данные по {as_of}.",
        "en": "Customers whose first purchase was in {months} (the months overlapping {start} … "
        "{end}), by the first-touch channel of that purchase · {channels}. Data through {as_of}.",
    },
    # --- KPIs ---------------------------------------------------------------------------------
    "cohorts.kpi_customers": {"ru": "Новые покупатели", "en": "Customers acquired"},
    "cohorts.kpi_revenue": {"ru": "Выручка с них, {cur}", "en": "Their revenue, {cur}"},
    "cohorts.kpi_ltv": {"ru": "LTV на сегодня, {cur}", "en": "LTV to date, {cur}"},
    "cohorts.kpi_cac": {"ru": "CAC платных, {cur}", "en": "Paid CAC, {cur}"},
    "cohorts.kpi_ltv_cac": {"ru": "LTV / CAC платных", "en": "Paid LTV / CAC"},
    "cohorts.help_ltv": {
        "ru": "Вся выручка этих покупателей до последнего дня данных / число покупателей.",
        "en": "All these customers' revenue up to the last data day / the number of customers.",
    },
    "cohorts.help_cac": {
        "ru": "Расход каналов в месяцы привлечения / покупатели, которых они привлекли; только "
        "когорты с расходом (органика, прямые заходы и (none) без расхода не входят).",
        "en": "The channels' cost in the acquisition months / the customers they acquired; only "
        "cohorts with cost (organic, direct and (none) have none and are left out).",
    },
    "cohorts.help_ltv_cac": {
        "ru": "Выручка на сегодня / расход, по когортам с расходом.",
        "en": "Revenue to date / cost, over the cohorts with cost.",
    },
    # --- heatmap --------------------------------------------------------------------------------
    "cohorts.heatmap": {"ru": "Когорты по месяцам", "en": "Cohorts by month"},
    "cohorts.metric": {"ru": "Показатель", "en": "Metric"},
    "cohorts.metric_help": {
        "ru": "Покупатели: сколько из когорты купили в этом месяце. Выручка: за этот месяц. "
        "LTV: накопленная выручка на одного привлечённого покупателя.",
        "en": "Customers: how many of the cohort bought in that month. Revenue: in that month. "
        "LTV: cumulative revenue per acquired customer.",
    },
    "cohorts.metric.customers": {"ru": "Покупатели", "en": "Customers"},
    "cohorts.metric.revenue": {"ru": "Выручка", "en": "Revenue"},
    "cohorts.metric.ltv": {"ru": "LTV на покупателя", "en": "LTV per customer"},
    "cohorts.heatmap_title_customers": {
        "ru": "Покупатели когорты, купившие в месяце",
        "en": "Customers of the cohort buying in the month",
    },
    "cohorts.heatmap_title_revenue": {
        "ru": "Выручка когорты за месяц, {cur}",
        "en": "Cohort revenue in the month, {cur}",
    },
    "cohorts.heatmap_title_ltv": {
        "ru": "Накопленный LTV на покупателя, {cur}",
        "en": "Cumulative LTV per customer, {cur}",
    },
    "cohorts.months_since": {
        "ru": "Месяцев с первой покупки",
        "en": "Months since first purchase",
    },
    "cohorts.cohort_axis": {
        "ru": "Месяц первой покупки · покупателей",
        "en": "First purchase month · customers",
    },
    "cohorts.heatmap_note": {
        "ru": "Месяцы считаются по календарю часового пояса отчётов; последний столбец каждой "
        "когорты — текущий месяц, он неполный (данные по {as_of}). Пустая клетка — месяц ещё "
        "не наступил, 0 — никто не купил.",
        "en": "Calendar months in the reporting timezone; each cohort's last column is the "
        "current month, partial (data through {as_of}). An empty cell has not happened yet; 0 "
        "means nobody bought.",
    },
    "cohorts.curves_title": {
        "ru": "LTV по месяцам жизни когорты, {cur}",
        "en": "LTV by months since first purchase, {cur}",
    },
    "cohorts.cac_line": {"ru": "CAC платных каналов", "en": "CAC of paid channels"},
    # --- CAC and payback table ------------------------------------------------------------------
    "cohorts.economics": {
        "ru": "CAC и окупаемость по когортам и каналам",
        "en": "CAC and payback by cohort and channel",
    },
    "cohorts.economics_note": {
        "ru": "CAC = весь расход канала в месяц привлечения / привлечённые им в этом месяце "
        "покупатели (по первому касанию). Расход не делится по дням и кампаниям; месяц, в "
        "котором канал тратил, но никого не привлёк, — строка с 0 покупателей. «—»: канал без "
        "расхода, нет покупателей или ещё не окупился.",
        "en": "CAC = the channel's whole cost in the acquisition month / the customers it "
        "acquired that month (by first touch). Cost is not split by day or campaign; a month "
        'the channel spent and acquired nobody is a row with 0 customers. "—": no cost, no '
        "customers, or not paid back yet.",
    },
    "cohorts.col_month": {"ru": "Когорта", "en": "Cohort"},
    "cohorts.col_channel": {"ru": "Канал первого касания", "en": "First-touch channel"},
    "cohorts.col_customers": {"ru": "Покупатели", "en": "Customers"},
    "cohorts.col_cost": {"ru": "Расход, {cur}", "en": "Cost, {cur}"},
    "cohorts.col_cac": {"ru": "CAC, {cur}", "en": "CAC, {cur}"},
    "cohorts.col_revenue": {"ru": "Выручка на сегодня, {cur}", "en": "Revenue to date, {cur}"},
    "cohorts.col_ltv": {"ru": "LTV на сегодня, {cur}", "en": "LTV to date, {cur}"},
    "cohorts.col_ltv_cac": {"ru": "LTV / CAC", "en": "LTV / CAC"},
    "cohorts.col_payback": {"ru": "Окупаемость, мес.", "en": "Payback month"},
    "cohorts.col_observed": {"ru": "Месяцев данных", "en": "Months observed"},
    "cohorts.help_col_cac": {
        "ru": "расход канала в месяц привлечения / покупатели",
        "en": "the channel's cost in the acquisition month / customers",
    },
    "cohorts.help_col_ltv": {
        "ru": "выручка на сегодня / покупатели",
        "en": "revenue to date / customers",
    },
    "cohorts.help_col_ltv_cac": {
        "ru": "LTV на сегодня / CAC = выручка на сегодня / расход",
        "en": "LTV to date / CAC = revenue to date / cost",
    },
    "cohorts.help_col_payback": {
        "ru": "Первый месяц с первой покупки, когда накопленный LTV ≥ CAC (0 = в месяц "
        "привлечения); «—» — ещё не окупился или CAC не определён.",
        "en": "The first month since the first purchase when cumulative LTV ≥ CAC (0 = the "
        'acquisition month); "—" = not paid back yet, or no CAC.',
    },
    "cohorts.help_col_observed": {
        "ru": "Сколько месяцев после месяца привлечения уже есть в данных.",
        "en": "How many months after the acquisition month the data covers so far.",
    },
    "cohorts.unattributed": {
        "ru": "{share} покупателей пришли без известного первого касания (канал {channel}).",
        "en": "{share} of customers came with no known first touch (channel {channel}).",
    },
}
