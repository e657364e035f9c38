{{ config(materialized='view') }}
with unioned as (
    {{ union_sources('visits') }}
),

final as (
    select
        *,
        {{ channel_key('utm_source', 'utm_medium', 'utm_campaign', 'referrer_host', 'click_id_kind') }} as channel_key
    from unioned
)

select * from final
