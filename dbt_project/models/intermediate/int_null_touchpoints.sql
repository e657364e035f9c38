-- Null paths for the data-driven models (DESIGN.md "Paths"): every client with visits and no
-- deal gets one path, built like a deal's, ending at their last visit.
with visits as (
    select * from {{ ref('int_touch_events') }}
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
    from transformed
)

select * from final
