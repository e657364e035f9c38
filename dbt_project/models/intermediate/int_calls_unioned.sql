{{ config(materialized='view') }}
with unioned as (
    {{ union_sources('calls', with_source_name=true) }}
)

select * from unioned
