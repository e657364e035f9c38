{{ config(
    materialized='incremental',
    incremental_strategy='replace_keys',
    unique_key='conversion_id',
    post_hook="{{ record_full_build() }}",
    meta={'incremental_upstream': ['int_touch_events', 'int_stitched_clients']},
) }}
-- Null paths for the data-driven models (DESIGN.md "Paths"): every client with visits and no
-- deal gets one path, built like a deal's, ending at their last visit.
-- Incremental: a night rebuilds the null paths of the browsers it changed
-- (macros/incremental_keys.sql).
-- depends_on: {{ ref('int_stitched_clients') }}
{%- set plan = incremental_plan() %}

with
{%- if plan.delta %}
dirty_clients as (
    {{ dirty_null_clients(plan.since) }}
),

dirty_conversions as (
    select {{ dbt.concat(["'null:'", 'client_id']) }} as conversion_id from dirty_clients
),
{%- endif %}

visits as (
    select * from {{ ref('int_touch_events') }}
    where is_deleted is not true
    {%- if plan.delta %}
        and client_id in (select client_id from dirty_clients)
    {%- endif %}
),

converted_clients as (
    select distinct client_id from {{ ref('int_deals_stitched') }} where client_id is not null
),

null_persons as (
    select
        {{ dbt.concat(["'null:'", 'visits.client_id']) }} as conversion_id,
        visits.client_id,
        max(visits.started_at) as conversion_at
    from visits
    where visits.client_id not in (select client_id from converted_clients)
    group by visits.client_id
),

transformed as (
    {{ path_touches('null_persons', 'visits') }}
),

final as (
    select
        conversion_id,
        touch_index,
        path_length,
        visit_id,
        touch_at,
        channel,
        sub_channel,
        report_source,
        report_campaign_id,
        campaign_name
        {{- tombstone_flag() }}
    from transformed
    {%- if plan.delta %}
    {{ tombstones('dirty_conversions', ['conversion_id'], 9) }}
    {%- endif %}
)

select * from final
