{{ config(enabled=source_enabled('yandex_direct')) }}
{#- Direct reports carry no UTM tags. utm_source / utm_medium are the platform's ('yandex', 'cpc');
    utm_campaign comes from the var yandex_direct_utm_campaign: campaign_id (default: what the
    {campaign_id} dynamic parameter puts in links), campaign_name, or none. -#}
{%- set utm_campaign_from = var('yandex_direct_utm_campaign', 'campaign_id') -%}
{%- if utm_campaign_from not in ('campaign_id', 'campaign_name', 'none') -%}
    {{ exceptions.raise_compiler_error(
        "var yandex_direct_utm_campaign = '" ~ utm_campaign_from
        ~ "': use campaign_id, campaign_name or none") }}
{%- endif -%}
{% set renamed %}
(
    select
        date as spend_date,
        'yandex_direct' as source_system,
        account_id,
        campaign_id,
        campaign_name,
        nullif(ad_group_id, '') as ad_group_id,
        ad_group_name,
        'yandex' as utm_source,
        'cpc' as utm_medium,
        {% if utm_campaign_from == 'none' -%}
        cast(null as {{ dbt.type_string() }})
        {%- else -%}
        {{ utm_campaign_from }}
        {%- endif %} as utm_campaign,
        impressions,
        clicks,
        -- already in currency units: the connector divides Direct's micros exactly
        cost,
        currency
    from {{ source('raw_yandex_direct', 'daily_stats') }}
)
{% endset %}
{{ stage_ad_spend(renamed, 'yandex_direct') }}
