-- When each deal first became an opportunity (w_shaped's third key moment), from CRM stage
-- history. With var w_shaped_opportunity_stages set, the first entry into one of those stages;
-- empty (default), the first stage entered after the one the deal was created in, unless that move
-- was straight to the end of a lost deal. Deals without history have no row.
{%- set stages = var('w_shaped_opportunity_stages') %}
{%- if stages is string %}{% set stages = stages.split(',') %}{% endif %}
{%- set stages = stages | map('trim') | map('lower') | reject('equalto', '') | list %}

with events as (
    select
        events.deal_key,
        lower(events.stage) as stage,
        events.entered_at,
        deals.status,
        row_number() over (
            partition by events.deal_key order by events.entered_at, events.stage
        ) as stage_order,
        count(*) over (partition by events.deal_key) as stage_count
    from {{ ref('int_deal_stage_events_unioned') }} as events
    inner join {{ ref('int_deals') }} as deals on events.deal_key = deals.deal_key
    where events.entered_at is not null
),

qualifying as (
    select deal_key, entered_at
    from events
    {%- if stages %}
    where stage in ({% for s in stages %}'{{ s }}'{% if not loop.last %}, {% endif %}{% endfor %})
    {%- else %}
    where stage_order = 2
        and not (status = 'lost' and stage_count = 2)
    {%- endif %}
),

final as (
    select
        deal_key,
        min(entered_at) as opportunity_at
    from qualifying
    group by deal_key
)

select * from final
