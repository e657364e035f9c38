{{ config(materialized='view') }}
with unioned as (
    {{ union_sources('visits', with_source_name=true, with_load_id=true) }}
),

final as (
    select
        *,
        {{ channel_key('utm_source', 'utm_medium', 'utm_campaign', 'referrer_host', 'click_id_kind') }} as channel_key
    from unioned
)

select * from final
