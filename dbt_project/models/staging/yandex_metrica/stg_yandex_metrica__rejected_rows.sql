{{ config(enabled=source_enabled('yandex_metrica')) }}
-- Log lines the connector could not read as a visit, with the reason; for the data-health page.
{{ stage_rejected_rows(source('raw_yandex_metrica', 'rejected_rows'), 'yandex_metrica') }}
