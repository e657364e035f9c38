{{ config(
    materialized='incremental',
    incremental_strategy='replace_keys',
    unique_key=['source_name', 'source_system', 'visit_id'],
    post_hook="{{ record_full_build() }}",
    meta={'incremental_full_check': 'staged_visits_rewritten'},
) }}
-- Every enabled source's visits, cleaned (tags from landing URLs, hosts) once: a table, because
-- the cleaning is most of the cost of reading visits and three models read them whole.
-- Incremental: a night cleans the rows dlt loaded after the newest load id here and replaces
-- those visits; a source that reloaded every row (the demo) rebuilds it whole, so visits the
-- source no longer has go.
{%- set plan = incremental_plan() %}
{%- set loaded_since = max_load_id(this) if plan.delta else none %}

with unioned as (
    {{ union_sources('visits', with_source_name=true, with_load_id=true) }}
),

final as (
    select
        *,
        {{ channel_key('utm_source', 'utm_medium', 'utm_campaign', 'referrer_host', 'click_id_kind') }} as channel_key
        {{- tombstone_flag() }}
    from unioned
    {%- if loaded_since %}
    where _dlt_load_id > '{{ loaded_since }}'
    {%- endif %}
)

select * from final
