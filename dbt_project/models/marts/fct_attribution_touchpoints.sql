-- The paths in the shape outside attribution tools read: one row per touch after path building
-- (trim, transform), converting paths (one per deal; revenue = the won amount, else 0) and null
-- paths (one per client with visits and no deal). Deals without a path have no touches here;
-- they are '(none)' in every model.
with deal_touches as (
    select
        touchpoints.deal_key as conversion_id,
        touchpoints.touch_index,
        touchpoints.touch_at,
        touchpoints.channel,
        true as is_converted,
        deals.created_at as conversion_at,
        case when deals.status = 'won' then deals.amount_reporting else 0 end as revenue
    from {{ ref('int_touchpoints') }} as touchpoints
    inner join {{ ref('int_deals') }} as deals on touchpoints.deal_key = deals.deal_key
),

null_touches as (
    select
        conversion_id,
        touch_index,
        touch_at,
        channel,
        false as is_converted,
        cast(null as {{ dbt.type_timestamp() }}) as conversion_at,
        cast(0 as decimal(18, 2)) as revenue
    from {{ ref('int_null_touchpoints') }}
),

final as (
    select * from deal_touches
    union all
    select * from null_touches
)

select * from final
