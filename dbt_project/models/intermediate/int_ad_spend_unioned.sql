{{ config(materialized='view') }}
-- Every enabled source's ad spend in one shape. An ad platform's row without tags is still paid
-- traffic of that platform: the channel rules see its source_system as utm_source and 'cpc'.
with unioned as (
    {{ union_sources('ad_spend') }}
),

final as (
    select
        *,
        coalesce(utm_source, source_system) as rule_utm_source,
        coalesce(utm_medium, 'cpc') as rule_utm_medium,
        {{ channel_key("coalesce(utm_source, source_system)", "coalesce(utm_medium, 'cpc')", 'utm_campaign', 'null', 'null') }} as channel_key
    from unioned
)

select * from final
