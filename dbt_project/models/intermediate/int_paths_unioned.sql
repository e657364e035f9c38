{{ config(materialized='view') }}
-- Converting paths (one per deal with touches) and null paths side by side, the input of the
-- data-driven models.
select deal_key as conversion_id, true as is_converted, touch_index, channel
from {{ ref('int_touchpoints') }}
union all
select conversion_id, false as is_converted, touch_index, channel
from {{ ref('int_null_touchpoints') }}
