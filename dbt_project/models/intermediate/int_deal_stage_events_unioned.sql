{{ config(materialized='view') }}
with unioned as (
    {{ union_sources('deal_stage_events') }}
),

final as (
    select
        {{ dbt.concat(['source_system', "':'", 'deal_id']) }} as deal_key,
        *
    from unioned
)

select * from final
