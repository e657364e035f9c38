"""Texts of the Data health page and the late-source banner (``data_health.*``), RU and EN."""

MESSAGES: dict[str, dict[str, str]] = {
    "data_health.title": {"ru": "Качество данных", "en": "Data health"},
    "data_health.caption": {
        "ru": "Снимок опубликован {when} {tz}; включённые источники: {sources}. Фильтры боковой "
        "панели здесь не действуют: всё по опубликованным данным целиком.",
        "en": "Snapshot published {when} {tz}; enabled sources: {sources}. The sidebar filters "
        "do not apply here: everything covers the whole published data.",
    },
    "data_health.newer_snapshot": {
        "ru": "Для этого раздела нужен более новый снимок данных: запустите `make build`.",
        "en": "This section needs a newer snapshot: run `make build`.",
    },
    # --- banner ---------------------------------------------------------------------------------
    "data_health.banner": {
        "ru": "Данные опаздывают: {sources}. Последние дни неполные — подробности на странице "
        "«Качество данных».",
        "en": "Late data: {sources}. The latest days are incomplete — see the Data health page.",
    },
    "data_health.banner_entity": {"ru": "{entity} по {last}", "en": "{entity} up to {last}"},
    "data_health.banner_entity_none": {"ru": "{entity}: нет дат", "en": "{entity}: no dates"},
    "data_health.banner_no_rows": {"ru": "нет данных", "en": "no data at all"},
    "data_health.entity.ad_spend": {"ru": "расходы", "en": "ad spend"},
    "data_health.entity.visits": {"ru": "визиты", "en": "visits"},
    "data_health.entity.deals": {"ru": "сделки", "en": "deals"},
    "data_health.entity.calls": {"ru": "звонки", "en": "calls"},
    # --- KPIs -----------------------------------------------------------------------------------
    "data_health.kpi.last_run": {"ru": "Последний запуск", "en": "Last run"},
    "data_health.kpi.late": {"ru": "Опаздывающие источники", "en": "Late sources"},
    "data_health.kpi.unattributed": {"ru": "Сделки без источника", "en": "Unattributed deals"},
    "data_health.kpi.rejected": {"ru": "Отклонённые строки", "en": "Rejected rows"},
    "data_health.status.success": {"ru": "ОК", "en": "OK"},
    "data_health.status.failure": {"ru": "Сбой", "en": "Failed"},
    "data_health.help.late": {
        "ru": "Источники, у которых день публикации минус последний день данных больше "
        "due_days (по умолчанию 1: ждём данные за вчера).",
        "en": "Sources whose publish day minus last data day is more than their due_days "
        "(default 1: yesterday's data is expected).",
    },
    "data_health.help.unattributed": {
        "ru": "Доля сделок с пустым путём (ни визита, ни UTM-меток на сделке): канал «(none)».",
        "en": "Share of deals with an empty path (no visit and no UTM tags on the deal): "
        'channel "(none)".',
    },
    # --- last run -------------------------------------------------------------------------------
    "data_health.run_title": {"ru": "Последний ночной запуск", "en": "Last nightly run"},
    "data_health.run_none": {
        "ru": "Записи о последнем запуске (last_run.json рядом со снимком) нет. Данные "
        "опубликованы {published}.",
        "en": "No record of the latest run (last_run.json beside the snapshot). The data was "
        "published {published}.",
    },
    "data_health.run_success": {
        "ru": "Последний запуск завершился успешно {finished}; данные опубликованы {published}.",
        "en": "The last run succeeded at {finished}; the data was published {published}.",
    },
    "data_health.run_failure": {
        "ru": "Последний запуск завершился ошибкой {finished} (шаги: {steps}). Дашборды "
        "показывают прежние данные, опубликованные {published}.",
        "en": "The last run failed at {finished} (steps: {steps}). The dashboards still show "
        "the data published {published}.",
    },
    "data_health.run_other": {
        "ru": "Последний запуск: {status} ({finished}).",
        "en": "Last run: {status} ({finished}).",
    },
    "data_health.no_warnings": {
        "ru": "Проверки уровня warn в последнем запуске не сработали.",
        "en": "No warn-level check failed in the last run.",
    },
    "data_health.warnings": {
        "ru": "Проверок уровня warn не пройдено: {n}. Данные опубликованы, но проверьте их.",
        "en": "Warn-level checks failed: {n}. The data was published; look into them.",
    },
    "data_health.col.check": {"ru": "Проверка", "en": "Check"},
    "data_health.col.unique_id": {"ru": "ID в dbt", "en": "dbt id"},
    # --- freshness ------------------------------------------------------------------------------
    "data_health.freshness_title": {"ru": "Свежесть источников", "en": "Source freshness"},
    "data_health.freshness_caption": {
        "ru": "Опаздывает, если день публикации ({publish_day}) минус последний день данных "
        "больше due_days источника (sources.<источник>.due_days в throughline.yml, по "
        "умолчанию 1).",
        "en": "Late when the publish day ({publish_day}) minus the last data day is more than "
        "the source's due_days (sources.<source>.due_days in throughline.yml, default 1).",
    },
    "data_health.col.entity": {"ru": "Данные", "en": "Data"},
    "data_health.col.status": {"ru": "Статус", "en": "Status"},
    "data_health.col.last_day": {"ru": "Последний день", "en": "Last data day"},
    "data_health.col.days_behind": {"ru": "Отставание, дн.", "en": "Days behind"},
    "data_health.col.due_days": {"ru": "Допуск, дн.", "en": "Due days"},
    "data_health.col.rows_7": {"ru": "Строк за 7 дней", "en": "Rows, last 7 days"},
    "data_health.col.rows_total": {"ru": "Строк всего", "en": "Rows, total"},
    "data_health.help.days_behind": {
        "ru": "День публикации ({publish_day}) минус последний день данных.",
        "en": "Publish day ({publish_day}) minus the last data day.",
    },
    "data_health.help.due_days": {
        "ru": "Данные за день D ожидаются к ночному запуску дня D + due_days.",
        "en": "Data for day D is due by the nightly run of day D + due_days.",
    },
    "data_health.late": {"ru": "Опаздывает", "en": "Late"},
    "data_health.on_time": {"ru": "Вовремя", "en": "On time"},
    # --- unattributed ---------------------------------------------------------------------------
    "data_health.unattributed_title": {
        "ru": "Сделки без источника",
        "en": "Unattributed deals",
    },
    "data_health.unattributed_caption": {
        "ru": "Сделки, которые не удалось связать ни с одним визитом и у которых нет UTM-меток, "
        "идут в канал «{channel}» во всех моделях. Все опубликованные сделки.",
        "en": 'Deals tied to no visit and carrying no UTM tags go to channel "{channel}" '
        "under every model. All published deals.",
    },
    "data_health.all_sources": {"ru": "Все источники", "en": "All sources"},
    "data_health.col.deals": {"ru": "Сделки", "en": "Deals"},
    "data_health.col.unattributed": {"ru": "Без источника", "en": "Unattributed"},
    "data_health.col.share": {"ru": "Доля без источника", "en": "Unattributed share"},
    "data_health.col.utm_only": {"ru": "Только по UTM сделки", "en": "Only by the deal's UTM"},
    "data_health.help.utm_only": {
        "ru": "Сделки без визитов, атрибутированные по UTM-меткам, записанным в самой сделке.",
        "en": "Deals with no visits, attributed through the UTM tags recorded on the deal.",
    },
    # --- rejected rows --------------------------------------------------------------------------
    "data_health.rejected_title": {"ru": "Отклонённые строки", "en": "Rejected rows"},
    "data_health.no_rejected": {
        "ru": "Ни одна строка не отклонена.",
        "en": "No row was rejected.",
    },
    "data_health.rejected_rows_title": {"ru": "Сами строки", "en": "The rows"},
    "data_health.rejected_first": {
        "ru": "Показаны первые {shown} из {total}.",
        "en": "Showing the first {shown} of {total}.",
    },
    "data_health.col.reason": {"ru": "Причина", "en": "Reason"},
    "data_health.col.rejected": {"ru": "Строк", "en": "Rows"},
    "data_health.col.files": {"ru": "Файлов", "en": "Files"},
    "data_health.col.file": {"ru": "Файл", "en": "File"},
    "data_health.col.row": {"ru": "Строка", "en": "Row"},
    "data_health.col.raw_row": {"ru": "Исходная строка", "en": "Raw row"},
}
