-- Visits with their channel, the ad campaign they came from (when tagged with one), and the
-- reporting day. report_source / report_campaign_id are the grain values used in the marts.
with visits as (
    select * from {{ ref('int_visits_unioned') }}
),

channels as (
    select * from {{ ref('int_channel_map') }}
),

campaigns as (
    select * from {{ ref('int_campaign_map') }}
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
        channels.channel,
        channels.sub_channel,
        coalesce(campaigns.campaign_source_system, visits.utm_source, visits.referrer_host, '(none)') as report_source,
        coalesce(campaigns.campaign_id, visits.utm_campaign, '(none)') as report_campaign_id,
        campaigns.campaign_name
    from visits
    left join channels on visits.channel_key = channels.channel_key
    left join campaigns
        on visits.utm_campaign = campaigns.utm_campaign
        and visits.utm_source is not distinct from campaigns.utm_source
)

select * from final
