-- One path per deal (DESIGN.md "Paths"): the stitched person's visits in
-- [created_at − lookback_days, created_at], ordered by time then visit_id, trimmed to the last
-- path_lookback_steps touches, then transformed (exposure | first | none). A deal left without
-- touches but carrying UTM tags gets one synthetic touch at created_at from those tags.
{%- set steps = var('path_lookback_steps') | int %}
{%- set transform = var('path_transform') %}
{%- if transform not in ['exposure', 'first', 'none'] %}
    {{ exceptions.raise_compiler_error("var path_transform must be exposure, first or none, not '" ~ transform ~ "'") }}
{%- endif %}

with deals as (
    select * from {{ ref('int_deals') }}
),

persons as (
    select deal_key, client_id from {{ ref('int_deals_stitched') }} where client_id is not null
),

visits as (
    select * from {{ ref('int_visits') }}
),

in_window as (
    select distinct
        deals.deal_key,
        visits.visit_id,
        visits.started_at as touch_at,
        visits.channel,
        visits.sub_channel,
        visits.report_source,
        visits.report_campaign_id,
        visits.campaign_name
    from persons
    inner join deals on persons.deal_key = deals.deal_key
    inner join visits
        on persons.client_id = visits.client_id
        and visits.started_at >= {{ days_before('deals.created_at', var('lookback_days')) }}
        and visits.started_at <= deals.created_at
),

ordered as (
    select
        *,
        row_number() over (partition by deal_key order by touch_at, visit_id) as raw_index,
        row_number() over (partition by deal_key order by touch_at desc, visit_id desc) as steps_from_end
    from in_window
),

trimmed as (
    select * from ordered
    {% if steps > 0 %}where steps_from_end <= {{ steps }}{% endif %}
),

transformed as (
    {% if transform == 'exposure' %}
    -- Collapse consecutive repeats of a channel; the first touch of each run is kept.
    select * from (
        select
            *,
            lag(channel) over (partition by deal_key order by raw_index) as previous_channel
        from trimmed
    ) as with_previous
    where previous_channel is null or previous_channel <> channel
    {% elif transform == 'first' %}
    -- Keep each channel's first occurrence.
    select * from (
        select
            *,
            row_number() over (partition by deal_key, channel order by raw_index) as channel_occurrence
        from trimmed
    ) as with_occurrence
    where channel_occurrence = 1
    {% else %}
    select * from trimmed
    {% endif %}
),

visit_touches as (
    select
        deal_key,
        'visit' as touch_kind,
        visit_id,
        touch_at,
        channel,
        sub_channel,
        report_source,
        report_campaign_id,
        campaign_name,
        raw_index
    from transformed
),

utm_touches as (
    select
        deal_key,
        'utm_on_deal' as touch_kind,
        cast(null as {{ dbt.type_string() }}) as visit_id,
        created_at as touch_at,
        utm_channel as channel,
        utm_sub_channel as sub_channel,
        utm_report_source as report_source,
        utm_report_campaign_id as report_campaign_id,
        utm_campaign_name as campaign_name,
        1 as raw_index
    from deals
    where has_utm
        and deal_key not in (select deal_key from visit_touches)
),

touches as (
    select * from visit_touches
    union all
    select * from utm_touches
),

final as (
    select
        deal_key,
        row_number() over (partition by deal_key order by raw_index) as touch_index,
        count(*) over (partition by deal_key) as path_length,
        touch_kind,
        visit_id,
        touch_at,
        channel,
        sub_channel,
        report_source,
        report_campaign_id,
        campaign_name
    from touches
)

select * from final
