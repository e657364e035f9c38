{{ config(
    materialized='incremental',
    incremental_strategy='replace_keys',
    unique_key=['source_system', 'visit_id'],
    post_hook="{{ record_full_build() }}",
    meta={
        'incremental_raw': 'int_visits_unioned',
        'incremental_upstream': ['int_channel_map', 'int_campaign_map'],
        'incremental_full_check': 'visits_source_rewritten',
    },
) }}
-- Visits with their channel, the ad campaign they came from (when tagged with one), and the
-- reporting day. report_source / report_campaign_id are the grain values used in the marts.
-- Incremental: a night rewrites the visits dlt loaded since the last run (new, and restated days)
-- and re-matches the stored visits whose utm_campaign now matches another campaign; rows are
-- stamped (_stamp) so models downstream find them. A channel changes only with the seed (which
-- rebuilds everything). Visits can disappear only when a source replaces all its rows (the demo
-- does, every load): then the table rebuilds whole (visits_source_rewritten).
{%- set plan = incremental_plan() %}

with loaded as (
    select * from {{ ref('int_visits_unioned') }}
    {%- if plan.delta and plan.loaded_since %}
    where _dlt_load_id > '{{ plan.loaded_since }}'
    {%- endif %}
),

channels as (
    select * from {{ ref('int_channel_map') }}
),

campaigns as (
    select * from {{ ref('int_campaign_map') }}
),

visits as (
    select
        loaded.visit_id,
        loaded.source_system,
        loaded.client_id,
        loaded.user_id,
        loaded.started_at,
        loaded.utm_source,
        loaded.utm_medium,
        loaded.utm_campaign,
        loaded.utm_content,
        loaded.utm_term,
        loaded.click_id,
        loaded.click_id_kind,
        loaded.referrer_host,
        loaded.device_category,
        loaded.page_views,
        channels.channel,
        channels.sub_channel
    from loaded
    left join channels on loaded.channel_key = channels.channel_key
    {%- if plan.delta %}
    union all
    -- stored visits whose tags match another campaign since the last run (the rest of the row holds)
    select
        visit_id, source_system, client_id, user_id, started_at, utm_source, utm_medium, utm_campaign,
        utm_content, utm_term, click_id, click_id_kind, referrer_host, device_category, page_views,
        channel, sub_channel
    from {{ this }} as stored
    where utm_campaign in (select utm_campaign from campaigns where _stamp > {{ plan.since }})
        and not exists (
            select 1 from loaded
            where loaded.source_system = stored.source_system and loaded.visit_id = stored.visit_id
        )
    {%- endif %}
),

final as (
    select
        visits.visit_id,
        visits.source_system,
        visits.client_id,
        visits.user_id,
        visits.started_at,
        {{ local_date('visits.started_at') }} as visit_date,
        visits.utm_source,
        visits.utm_medium,
        visits.utm_campaign,
        visits.utm_content,
        visits.utm_term,
        visits.click_id,
        visits.click_id_kind,
        visits.referrer_host,
        visits.device_category,
        visits.page_views,
        visits.channel,
        visits.sub_channel,
        coalesce(campaigns.campaign_source_system, visits.utm_source, visits.referrer_host, '(none)') as report_source,
        coalesce(campaigns.campaign_id, visits.utm_campaign, '(none)') as report_campaign_id,
        campaigns.campaign_name,
        {{ run_stamp() }} as _stamp
        {{- tombstone_flag() }}
    from visits
    left join campaigns
        on visits.utm_campaign = campaigns.utm_campaign
        and visits.utm_source is not distinct from campaigns.utm_source
)

select * from final
