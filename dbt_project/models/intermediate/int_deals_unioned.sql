{{ config(materialized='view') }}
with unioned as (
    {{ union_sources('deals') }}
),

final as (
    select
        {{ dbt.concat(['source_system', "':'", 'deal_id']) }} as deal_key,
        *,
        {{ channel_key('utm_source', 'utm_medium', 'utm_campaign', 'null', 'null') }} as channel_key,
        (utm_source is not null or utm_medium is not null or utm_campaign is not null) as has_utm
    from unioned
)

select * from final
