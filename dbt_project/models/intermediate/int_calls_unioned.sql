{{ config(materialized='view') }}
with unioned as (
    {{ union_sources('calls') }}
)

select * from unioned
