-- Every channel in the marts is one the seed can produce (or '(none)' for unattributed deals).
select distinct channel
from {{ ref('fct_channel_daily') }}
where channel <> '(none)'
    and channel not in (select channel from {{ ref('channel_rules') }})
