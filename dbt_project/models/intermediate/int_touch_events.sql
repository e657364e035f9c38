-- Everything that can be a touch in a path: visits, and tracked calls (channel from the seed's
-- click_id_kind 'call' rule), in one shape. A call is a touch only when it is tied to a browser
-- (its own client id, or its session's) and was not marked non-target (spam, wrong numbers).
with visits as (
    select * from {{ ref('int_visits') }}
),

calls as (
    select * from {{ ref('int_calls_unioned') }}
),

call_channel as (
    select channel, sub_channel
    from {{ ref('int_channel_map') }}
    where channel_key = {{ channel_key('null', 'null', 'null', 'null', "'call'") }}
),

visit_events as (
    select
        visit_id,
        'visit' as touch_kind,
        client_id,
        started_at,
        channel,
        sub_channel,
        report_source,
        report_campaign_id,
        campaign_name
    from visits
),

call_events as (
    select
        {{ dbt.concat(["'call:'", 'calls.call_id']) }} as visit_id,
        'call' as touch_kind,
        coalesce(calls.client_id, session.client_id) as client_id,
        calls.started_at,
        call_channel.channel,
        call_channel.sub_channel,
        calls.source_system as report_source,
        coalesce(calls.utm_campaign, '(none)') as report_campaign_id,
        cast(null as {{ dbt.type_string() }}) as campaign_name
    from calls
    cross join call_channel
    left join visits as session on calls.visit_id = session.visit_id
    where coalesce(calls.client_id, session.client_id) is not null
        and coalesce(calls.is_target, true)
),

final as (
    select * from visit_events
    union all
    select * from call_events
)

select * from final
