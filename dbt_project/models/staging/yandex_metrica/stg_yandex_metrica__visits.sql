{{ config(enabled=source_enabled('yandex_metrica')) }}
{#- Metrica's names and codes onto the canonical ones; stage_visits then cleans the values and, where
    the UTM columns are empty, takes the tags and the click id (yclid, gclid, fbclid) from the
    landing URL. -#}
{%- set renamed -%}
(
    select
        visit_id,
        'yandex_metrica' as source_system,
        client_id,
        cast(null as {{ dbt.type_string() }}) as user_id,
        started_at,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_content,
        utm_term,
        cast(null as {{ dbt.type_string() }}) as click_id,
        cast(null as {{ dbt.type_string() }}) as click_id_kind,
        referer as referrer,
        start_url as landing_url,
        case cast(device_category as {{ dbt.type_string() }})
            when '1' then 'desktop'
            when '2' then 'mobile'
            when '3' then 'tablet'
            when '4' then 'tv'
        end as device_category,
        page_views,
        _dlt_load_id
    from {{ source('raw_yandex_metrica', 'visits') }}
) as metrica_visits
{%- endset %}
{{ stage_visits(renamed, 'yandex_metrica') }}
