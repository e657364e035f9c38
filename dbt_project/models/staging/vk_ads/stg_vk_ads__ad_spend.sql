{{ config(enabled=source_enabled('vk_ads')) }}
{#- Which campaign value visits carry in utm_campaign for VK Ads clicks: the campaign's id
    ({{campaign_id}} in the ad's URL, the default), its name, or none (no campaign matching). -#}
{%- set utm_campaign_from = var('vk_ads_utm_campaign', 'campaign_id') -%}

with stats as (
    select * from {{ source('raw_vk_ads', 'ad_plan_stats_daily') }}
),

ad_plans as (
    select * from {{ source('raw_vk_ads', 'ad_plans') }}
),

renamed as (
    -- The one join in staging: the campaign's current name from the same source, so a renamed
    -- campaign reads the same over its whole history.
    select
        cast(stats.date as date) as spend_date,
        'vk_ads' as source_system,
        cast(null as {{ dbt.type_string() }}) as account_id,
        cast(stats.ad_plan_id as {{ dbt.type_string() }}) as campaign_id,
        {{ clean_text('ad_plans.name') }} as campaign_name,
        cast(null as {{ dbt.type_string() }}) as ad_group_id,
        cast(null as {{ dbt.type_string() }}) as ad_group_name,
        'vk' as utm_source,
        'cpc' as utm_medium,
        {% if utm_campaign_from == 'campaign_name' -%}
        {{ clean_tag('ad_plans.name') }}
        {%- elif utm_campaign_from == 'none' -%}
        cast(null as {{ dbt.type_string() }})
        {%- else -%}
        cast(stats.ad_plan_id as {{ dbt.type_string() }})
        {%- endif %} as utm_campaign,
        cast(stats.shows as {{ dbt.type_bigint() }}) as impressions,
        cast(stats.clicks as {{ dbt.type_bigint() }}) as clicks,
        cast(stats.spent as decimal(18, 2)) as cost,
        upper(trim(stats.currency)) as currency
    from stats
    left join ad_plans
        on stats.ad_plan_id = ad_plans.id
),

final as (
    -- Idle days (no shows, clicks or spend) stay in raw for restatement, not in the marts.
    select * from renamed
    where impressions <> 0 or clicks <> 0 or cost <> 0
)

select * from final
