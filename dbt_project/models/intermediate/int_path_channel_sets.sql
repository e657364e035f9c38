-- One row per path (converting or null): its set of channels, sorted and '|'-joined.
select
    conversion_id,
    max(case when is_converted then 1 else 0 end) as is_converted,
    {{ dbt.listagg('channel', "'|'", 'order by channel') }} as channel_set
from (select distinct conversion_id, is_converted, channel from {{ ref('int_paths_unioned') }}) as distinct_channels
group by conversion_id
