{{ config(
    materialized='incremental',
    incremental_strategy='replace_keys',
    unique_key=['visit_id', 'client_id'],
    post_hook="{{ record_full_build() }}",
    meta={'incremental_upstream': ['int_visits', 'int_channel_map']},
) }}
-- Everything that can be a touch in a path: visits, and tracked calls (channel from the seed's
-- click_id_kind 'call' rule), in one shape. A call is a touch only when it is tied to a browser
-- (its own client id, or its session's) and was not marked non-target (spam, wrong numbers).
-- Incremental: a night rewrites the touches of visits int_visits stamped since the last run and
-- the calls that differ from what is stored (calls are few: all are compared). A touch that left
-- its browser (a call marked non-target, a visit restated to another client) keeps a row marked
-- is_deleted, stamped, so the paths of the browser it left are rebuilt too; paths read only rows
-- that are not deleted.
{%- set plan = incremental_plan() %}

with calls as (
    select * from {{ ref('int_calls_unioned') }}
),

sessions as (
    -- the browser of each call's tracked session
    select visit_id, client_id from {{ ref('int_visits') }}
    where visit_id in (select visit_id from calls)
),

call_channel as (
    select channel, sub_channel
    from {{ ref('int_channel_map') }}
    where channel_key = {{ channel_key('null', 'null', 'null', 'null', "'call'") }}
),

call_events as (
    select
        {{ dbt.concat(["'call:'", 'calls.call_id']) }} as visit_id,
        'call' as touch_kind,
        coalesce(calls.client_id, sessions.client_id) as client_id,
        calls.started_at,
        call_channel.channel,
        call_channel.sub_channel,
        calls.source_system as report_source,
        coalesce(calls.utm_campaign, '(none)') as report_campaign_id,
        cast(null as {{ dbt.type_string() }}) as campaign_name
    from calls
    cross join call_channel
    left join sessions on calls.visit_id = sessions.visit_id
    where coalesce(calls.client_id, sessions.client_id) is not null
        and coalesce(calls.is_target, true)
),

{%- if plan.delta %}

stored_calls as (
    select visit_id, touch_kind, client_id, started_at, channel, sub_channel, report_source,
        report_campaign_id, campaign_name
    from {{ this }}
    where touch_kind = 'call' and is_deleted is not true
),

dirty as (
    select visit_id from {{ ref('int_visits') }} where _stamp > {{ plan.since }}
    union
    select visit_id from (select * from call_events except select * from stored_calls) as new_or_changed
    union
    select visit_id from (select * from stored_calls except select * from call_events) as changed_or_gone
),
{%- endif %}

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
    from {{ ref('int_visits') }}
    {%- if plan.delta %}
    where visit_id in (select visit_id from dirty)
    {%- endif %}
),

touches as (
    select * from visit_events
    union all
    select * from call_events
    {%- if plan.delta %}
    where visit_id in (select visit_id from dirty)
    {%- endif %}
),

final as (
    select
        *,
        false as is_deleted,
        {{ run_stamp() }} as _stamp
        {{- tombstone_flag() }}
    from touches
    {%- if plan.delta %}
    union all
    -- a dirty touch's old browser, when the touch is no longer there
    select
        stored.visit_id, stored.touch_kind, stored.client_id, stored.started_at, stored.channel,
        stored.sub_channel, stored.report_source, stored.report_campaign_id, stored.campaign_name,
        true as is_deleted,
        {{ run_stamp() }} as _stamp,
        false as _is_tombstone
    from {{ this }} as stored
    where stored.visit_id in (select visit_id from dirty)
        and stored.is_deleted is not true
        and not exists (
            select 1 from touches
            where touches.visit_id = stored.visit_id and touches.client_id = stored.client_id
        )
    {%- endif %}
)

select * from final
