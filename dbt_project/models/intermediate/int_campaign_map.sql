{{ config(
    materialized='incremental',
    incremental_strategy='replace_keys',
    unique_key=['utm_source', 'utm_campaign'],
    post_hook="{{ record_full_build() }}",
    meta={'incremental_raw': 'int_visits_unioned'},
) }}
-- Which ad campaign a tagged touch belongs to: the spend row carrying the same utm_campaign
-- (and utm_source, when the spend row has one). Ties go to the lowest source_system, campaign_id.
-- One row per tag seen on a visit or deal; the campaign is null when no spend row carries it.
-- Incremental: the tags are those already here plus those on visits loaded since; each is matched
-- again against all spend (small), and only tags whose match changed are written, stamped, so
-- int_visits re-matches exactly their visits. A tag stays once seen (matching nothing, it changes
-- no join).
{%- set plan = incremental_plan() %}

with spend_campaigns as (
    select
        source_system,
        campaign_id,
        utm_source,
        utm_campaign,
        max(campaign_name) as campaign_name
    from {{ ref('int_ad_spend_unioned') }}
    where utm_campaign is not null
    group by 1, 2, 3, 4
),

touch_tags as (
    select distinct utm_source, utm_campaign from {{ ref('int_visits_unioned') }}
    where utm_campaign is not null
    {%- if plan.delta and plan.loaded_since %}
        and _dlt_load_id > '{{ plan.loaded_since }}'
    {%- endif %}
    union
    select distinct utm_source, utm_campaign from {{ ref('int_deals_unioned') }}
    where utm_campaign is not null
    {%- if plan.delta %}
    union
    select utm_source, utm_campaign from {{ this }}
    {%- endif %}
),

matched as (
    select
        touch_tags.utm_source,
        touch_tags.utm_campaign,
        spend_campaigns.source_system as campaign_source_system,
        spend_campaigns.campaign_id,
        spend_campaigns.campaign_name,
        row_number() over (
            partition by touch_tags.utm_source, touch_tags.utm_campaign
            order by
                case when spend_campaigns.utm_source is null then 1 else 0 end,
                spend_campaigns.source_system,
                spend_campaigns.campaign_id
        ) as match_rank
    from touch_tags
    left join spend_campaigns
        on touch_tags.utm_campaign = spend_campaigns.utm_campaign
        and (spend_campaigns.utm_source is null or spend_campaigns.utm_source = touch_tags.utm_source)
),

current_map as (
    select utm_source, utm_campaign, campaign_source_system, campaign_id, campaign_name
    from matched
    where match_rank = 1
),

changed as (
    select * from current_map
    {%- if plan.delta %}
    except
    select utm_source, utm_campaign, campaign_source_system, campaign_id, campaign_name from {{ this }}
    {%- endif %}
),

final as (
    select
        utm_source,
        utm_campaign,
        campaign_source_system,
        campaign_id,
        campaign_name,
        {{ run_stamp() }} as _stamp
        {{- tombstone_flag() }}
    from changed
)

select * from final
