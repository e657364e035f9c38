{{ config(materialized='view') }}
-- One row per path (converting or null): its set of channels, sorted and '|'-joined.
select
    conversion_id,
    cast(case when is_converted then 1 else 0 end as {{ dbt.type_int() }}) as is_converted,
    channel_set
from {{ ref('int_paths') }}
