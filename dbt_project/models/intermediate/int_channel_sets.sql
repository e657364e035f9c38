-- Each channel set and how many converting and null paths have exactly it: v(S) of the Shapley
-- model is conversions / (conversions + nulls) of set S.
select
    channel_set,
    cast(sum(is_converted) as {{ dbt.type_bigint() }}) as conversions,
    cast(sum(1 - is_converted) as {{ dbt.type_bigint() }}) as nulls
from {{ ref('int_path_channel_sets') }}
group by channel_set
