{{ config(
    materialized='incremental',
    incremental_strategy='replace_keys',
    unique_key='client_id',
    post_hook="{{ record_full_build() }}",
) }}
-- Which browsers a deal is stitched to, for the incremental null paths (a browser with a deal has
-- none): one row per browser ever stitched, is_converted while it still is, stamped (_stamp) with
-- the run that last flipped it.
{%- set plan = incremental_plan() %}

with current_clients as (
    select distinct client_id from {{ ref('int_deals_stitched') }}
    where client_id is not null
),

changed as (
    select client_id, true as is_converted from current_clients
    {%- if plan.delta %}
    where client_id not in (select client_id from {{ this }} where is_converted)
    union all
    select client_id, false as is_converted from {{ this }}
    where is_converted
        and client_id not in (select client_id from current_clients)
    {%- endif %}
),

final as (
    select
        client_id,
        is_converted,
        {{ run_stamp() }} as _stamp
        {{- tombstone_flag() }}
    from changed
)

select * from final
