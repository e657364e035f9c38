{{ config(
    materialized='incremental',
    incremental_strategy='replace_keys',
    unique_key='deal_key',
    post_hook="{{ record_full_build() }}",
    meta={'incremental_upstream': ['int_touch_events', 'int_deal_signatures']},
) }}
-- One path per deal (DESIGN.md "Paths", built by macros/paths.sql): the stitched person's
-- visits up to the deal's created_at. A deal left without touches but carrying UTM tags gets one
-- synthetic touch at created_at from those tags.
-- Incremental: a night rebuilds the paths of the deals it changed (macros/incremental_keys.sql).
-- depends_on: {{ ref('int_deal_signatures') }}
{%- set plan = incremental_plan() %}

with
{%- if plan.delta %}
dirty_deals as (
    {{ dirty_deals(plan.since) }}
),
{%- endif %}

deals as (
    select * from {{ ref('int_deals') }}
    {%- if plan.delta %}
    where deal_key in (select deal_key from dirty_deals)
    {%- endif %}
),

persons as (
    select
        stitched.deal_key as conversion_id,
        stitched.client_id,
        deals.created_at as conversion_at
    from {{ ref('int_deals_stitched') }} as stitched
    inner join deals on stitched.deal_key = deals.deal_key
    where stitched.client_id is not null
),

visits as (
    select * from {{ ref('int_touch_events') }}
    where is_deleted is not true
    {%- if plan.delta %}
        and client_id in (select client_id from persons)
    {%- endif %}
),

transformed as (
    {{ path_touches('persons', 'visits') }}
),

visit_touches as (
    select
        conversion_id as deal_key,
        touch_index,
        path_length,
        case when visit_id like 'call:%' then 'call' else 'visit' end as touch_kind,
        visit_id,
        touch_at,
        channel,
        sub_channel,
        report_source,
        report_campaign_id,
        campaign_name
    from transformed
),

utm_touches as (
    -- only for deals without any other touch, so it is the whole path
    select
        deal_key,
        1 as touch_index,
        1 as path_length,
        'utm_on_deal' as touch_kind,
        cast(null as {{ dbt.type_string() }}) as visit_id,
        created_at as touch_at,
        utm_channel as channel,
        utm_sub_channel as sub_channel,
        utm_report_source as report_source,
        utm_report_campaign_id as report_campaign_id,
        utm_campaign_name as campaign_name
    from deals
    where has_utm
        and deal_key not in (select deal_key from visit_touches)
),

final as (
    select *{{ tombstone_flag() }} from visit_touches
    union all
    select *{{ tombstone_flag() }} from utm_touches
    {%- if plan.delta %}
    {{ tombstones('dirty_deals', ['deal_key'], 10) }}
    {%- endif %}
)

select * from final
