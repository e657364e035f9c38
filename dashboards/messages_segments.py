"""Texts of the Segments page (RU/EN), merged into ``messages.MESSAGES``."""

MESSAGES: dict[str, dict[str, str]] = {
    "segments.title": {"ru": "Сегменты", "en": "Segments"},
    "segments.newer_snapshot": {
        "ru": "В опубликованных данных ещё нет покупателей: запустите `make build`.",
        "en": "The published data has no customers yet: run `make build`.",
    },
    "segments.caption": {
        "ru": "Покупатели на {as_of} (последний день данных) · {channels} по первому касанию "
        "первой покупки. Период в боковой панели к сегментам не применяется.",
        "en": "Customers as of {as_of} (the last data day) · {channels} by the first touch of "
        "the first purchase. The sidebar period does not apply to segments.",
    },
    "segments.rules": {
        "ru": "Каждый покупатель в одном сегменте, по первому подходящему правилу: "
        "**неактивные** — нет заказа {days} дней; **VIP** — верхние {share} по среднему чеку; "
        "**лояльные** — 2 и больше заказов; **новые** — один заказ. Пороги — переменные dbt "
        "`inactive_days` и `vip_top_share`.",
        "en": "Each customer is in one segment, the first rule that holds: **inactive** — no "
        "order for {days} days; **VIP** — the top {share} by average order value; **loyal** — 2 "
        "or more orders; **new** — one order. The thresholds are the dbt vars `inactive_days` "
        "and `vip_top_share`.",
    },
    "segments.segment.new": {"ru": "Новые", "en": "New"},
    "segments.segment.loyal": {"ru": "Лояльные", "en": "Loyal"},
    "segments.segment.vip": {"ru": "VIP", "en": "VIP"},
    "segments.segment.inactive": {"ru": "Неактивные", "en": "Inactive"},
    "segments.tile_help": {
        "ru": "Выручка: {revenue} ({share} всей)",
        "en": "Revenue: {revenue} ({share} of all)",
    },
    "segments.by_segment": {"ru": "Сегменты", "en": "Segments"},
    "segments.bars_title": {
        "ru": "Покупатели и выручка по сегментам",
        "en": "Customers and revenue by segment",
    },
    "segments.customers": {"ru": "Покупатели", "en": "Customers"},
    "segments.revenue": {"ru": "Выручка, {cur}", "en": "Revenue, {cur}"},
    "segments.col_segment": {"ru": "Сегмент", "en": "Segment"},
    "segments.col_orders": {"ru": "Заказы", "en": "Orders"},
    "segments.col_customer_share": {"ru": "Доля покупателей", "en": "Customer share"},
    "segments.col_revenue_share": {"ru": "Доля выручки", "en": "Revenue share"},
    "segments.col_aov": {"ru": "Средний чек, {cur}", "en": "AOV, {cur}"},
    "segments.col_orders_per_customer": {
        "ru": "Заказов на покупателя",
        "en": "Orders per customer",
    },
    # --- RFM ------------------------------------------------------------------------------------
    "segments.rfm": {"ru": "RFM", "en": "RFM"},
    "segments.rfm_title": {
        "ru": "Покупатели по давности (R) и частоте (F)",
        "en": "Customers by recency (R) and frequency (F)",
    },
    "segments.r_axis": {"ru": "Давность, R (5 — недавно)", "en": "Recency, R (5 = recent)"},
    "segments.f_axis": {"ru": "Частота, F (5 — чаще)", "en": "Frequency, F (5 = most orders)"},
    "segments.rfm_note": {
        "ru": "Баллы 1–5 — квинтили среди всех покупателей (как ntile(5)), равные значения "
        "получают равный балл: R — по дате последнего заказа, F — по числу заказов, M — по "
        "выручке (M каждого покупателя — в списке ниже).",
        "en": "Scores 1–5 are quintiles over all customers (like ntile(5)), equal values get "
        "equal scores: R by the last order date, F by the number of orders, M by revenue (each "
        "customer's M is in the list below).",
    },
    # --- customer list --------------------------------------------------------------------------
    "segments.list": {"ru": "Покупатели сегмента", "en": "Customers in a segment"},
    "segments.pick": {"ru": "Сегмент", "en": "Segment"},
    "segments.pick_option": {"ru": "{segment} ({count})", "en": "{segment} ({count})"},
    "segments.list_note": {
        "ru": "Для кампаний: только хэшированные ключи и ID сделок в CRM (источник:ID), без "
        "имён, e-mail и телефонов. Контакт в CRM находится по ID сделки или по тому же "
        "солёному хэшу контакта.",
        "en": "For campaigns: hashed keys and CRM deal ids (source:id) only, no names, e-mails "
        "or phones. Find the contact in the CRM by a deal id, or by the same salted contact hash.",
    },
    "segments.empty_segment": {
        "ru": "В этом сегменте нет покупателей.",
        "en": "No customers in this segment.",
    },
    "segments.col_customer_key": {"ru": "Ключ покупателя", "en": "Customer key"},
    "segments.col_contact_key": {"ru": "Хэш контакта", "en": "Contact hash"},
    "segments.col_first_deal": {"ru": "Первая сделка", "en": "First deal"},
    "segments.col_last_deal": {"ru": "Последняя сделка", "en": "Last deal"},
    "segments.col_deals": {"ru": "Все сделки", "en": "All deals"},
    "segments.col_channel": {"ru": "Канал первого касания", "en": "First-touch channel"},
    "segments.col_first_order": {"ru": "Первый заказ", "en": "First order"},
    "segments.col_last_order": {"ru": "Последний заказ", "en": "Last order"},
    "segments.col_recency": {"ru": "Дней без заказа", "en": "Days since order"},
    "segments.col_rfm": {"ru": "RFM", "en": "RFM"},
    "segments.help_customer_key": {
        "ru": "md5 от контакта (солёный хэш), браузера или сделки: стабилен между запусками.",
        "en": "md5 of the contact (a salted hash), browser or deal: stable between runs.",
    },
    "segments.help_contact_key": {
        "ru": "Солёный хэш телефона или e-mail из CRM; пусто, если у сделок нет контакта.",
        "en": "The salted hash of the CRM phone or e-mail; empty when the deals have no contact.",
    },
}
