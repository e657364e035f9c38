-- w_shaped's opportunity touch when it came after the lead: the person's last touch in
-- (created_at, opportunity_at]. Deal paths end at the lead, so this touch is not in them; when
-- there is none, the lead touch holds the opportunity role too (see int_attribution).
with deals as (
    select deal_key, created_at from {{ ref('int_deals') }}
),

opportunities as (
    select
        opportunities.deal_key,
        deals.created_at,
        opportunities.opportunity_at
    from {{ ref('int_deal_opportunities') }} as opportunities
    inner join deals on opportunities.deal_key = deals.deal_key
    where opportunities.opportunity_at > deals.created_at
),

candidates as (
    select
        opportunities.deal_key,
        touches.visit_id,
        touches.started_at as touch_at,
        touches.channel,
        touches.sub_channel,
        touches.report_source,
        touches.report_campaign_id,
        touches.campaign_name,
        row_number() over (
            partition by opportunities.deal_key
            order by touches.started_at desc, touches.visit_id desc
        ) as from_end
    from opportunities
    inner join {{ ref('int_deals_stitched') }} as stitched
        on opportunities.deal_key = stitched.deal_key
    inner join {{ ref('int_touch_events') }} as touches
        on stitched.client_id = touches.client_id
        and touches.started_at > opportunities.created_at
        and touches.started_at <= opportunities.opportunity_at
    where touches.is_deleted is not true
),

final as (
    select
        deal_key,
        visit_id,
        touch_at,
        channel,
        sub_channel,
        report_source,
        report_campaign_id,
        campaign_name
    from candidates
    where from_end = 1
)

select * from final
