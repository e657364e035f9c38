-- One row per deal: how it was stitched, its path, and its money. The data-health page reads the
-- unattributed share from here; drill-downs read the deal behind a number.
with deals as (
    select * from {{ ref('int_deals') }}
),

stitched as (
    select deal_key, min(match_rule) as match_rule, count(client_id) as client_ids
    from {{ ref('int_deals_stitched') }}
    group by deal_key
),

paths as (
    select
        deal_key,
        max(path_length) as path_length,
        max(case when touch_index = 1 then channel end) as first_channel,
        max(case when touch_index = path_length then channel end) as last_channel,
        max(case when touch_kind = 'utm_on_deal' then 1 else 0 end) as has_utm_touch
    from {{ ref('int_touchpoints') }}
    group by deal_key
),

final as (
    select
        deals.deal_key,
        deals.deal_id,
        deals.source_system,
        deals.created_at,
        deals.created_date,
        deals.closed_at,
        deals.status,
        deals.pipeline,
        deals.stage,
        deals.manager,
        deals.contact_key,
        case when paths.has_utm_touch = 1 then 'utm_on_deal' else stitched.match_rule end as match_rule,
        stitched.client_ids,
        coalesce(paths.path_length, 0) as path_length,
        coalesce(paths.first_channel, '(none)') as first_channel,
        coalesce(paths.last_channel, '(none)') as last_channel,
        paths.deal_key is null as is_unattributed,
        deals.amount,
        deals.cost_of_goods,
        deals.currency,
        deals.amount_reporting,
        deals.cost_of_goods_reporting
    from deals
    left join stitched on deals.deal_key = stitched.deal_key
    left join paths on deals.deal_key = paths.deal_key
)

select * from final
