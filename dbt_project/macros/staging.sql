{#- Source-agnostic staging: rename is not needed (connectors land canonical names), so these
    cast, clean and default. One macro per entity keeps demo, files and later sources identical. -#}

{% macro stage_ad_spend(relation, default_system) %}
with source as (
    select * from {{ relation }}
),

renamed as (
    select
        cast(spend_date as date) as spend_date,
        coalesce({{ clean_text('source_system') }}, '{{ default_system }}') as source_system,
        {{ clean_text('account_id') }} as account_id,
        coalesce({{ clean_text('campaign_id') }}, {{ clean_text('campaign_name') }}, {{ clean_text('utm_campaign') }}) as campaign_id,
        {{ clean_text('campaign_name') }} as campaign_name,
        {{ clean_text('ad_group_id') }} as ad_group_id,
        {{ clean_text('ad_group_name') }} as ad_group_name,
        {{ clean_tag('utm_source') }} as utm_source,
        {{ clean_tag('utm_medium') }} as utm_medium,
        {{ clean_tag('utm_campaign') }} as utm_campaign,
        cast(impressions as {{ dbt.type_bigint() }}) as impressions,
        cast(clicks as {{ dbt.type_bigint() }}) as clicks,
        cast(cost as decimal(18, 2)) as cost,
        upper(trim(currency)) as currency
    from source
)

select * from renamed
{% endmacro %}


{% macro stage_visits(relation, default_system) %}
{%- set tags = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term'] %}
{%- set click_kinds = ['yclid', 'gclid', 'fbclid'] %}
{%- set click_id_incomplete = '(' ~ clean_text('click_id') ~ ' is null or ' ~ clean_text('click_id_kind') ~ ' is null)' %}
with source as (
    select * from {{ relation }}
),

-- Tags and click ids from the landing URL, read only for the rows whose columns are empty
-- (analytics exports often lose them). A step of its own (url_param_if says why): inline, the
-- regexes ran on every visit and were half the cost of cleaning them (BENCHMARKS.md).
url_fallback as (
    select
        *,
        {% for tag in tags -%}
        {{ url_param_if(clean_tag(tag) ~ ' is null', 'landing_url', tag) }} as url_{{ tag }},
        {% endfor -%}
        {% for kind in click_kinds -%}
        {{ url_param_if(click_id_incomplete, 'landing_url', kind) }} as url_{{ kind }}
        {{- ',' if not loop.last }}
        {% endfor %}
    from source
),

renamed as (
    select
        {{ clean_text('visit_id') }} as visit_id,
        coalesce({{ clean_text('source_system') }}, '{{ default_system }}') as source_system,
        {{ clean_text('client_id') }} as client_id,
        {{ clean_text('user_id') }} as user_id,
        {{ to_utc_timestamp('started_at') }} as started_at,
        {% for tag in tags -%}
        coalesce({{ clean_tag(tag) }}, {{ clean_tag('url_' ~ tag) }}) as {{ tag }},
        {% endfor -%}
        coalesce({{ clean_text('click_id') }}, url_yclid, url_gclid, url_fbclid) as click_id,
        lower(coalesce(
            {{ clean_text('click_id_kind') }},
            case
                {% for kind in click_kinds -%}
                when url_{{ kind }} is not null then '{{ kind }}'
                {% endfor -%}
            end
        )) as click_id_kind,
        {{ clean_text('referrer') }} as referrer,
        {{ url_host(clean_text('referrer')) }} as referrer_host,
        {{ clean_text('landing_url') }} as landing_url,
        lower({{ clean_text('device_category') }}) as device_category,
        cast(page_views as {{ dbt.type_bigint() }}) as page_views,
        {{ dlt_load_id(relation) }} as _dlt_load_id
    from url_fallback
)

select * from renamed
{% endmacro %}


{% macro stage_deals(relation, default_system) %}
with source as (
    select * from {{ relation }}
),

renamed as (
    select
        {{ clean_text('deal_id') }} as deal_id,
        coalesce({{ clean_text('source_system') }}, '{{ default_system }}') as source_system,
        {{ to_utc_timestamp('created_at') }} as created_at,
        {{ to_utc_timestamp('closed_at') }} as closed_at,
        {{ to_utc_timestamp('updated_at') }} as updated_at,
        lower(trim(status)) as status,
        {{ clean_text('pipeline') }} as pipeline,
        {{ clean_text('stage') }} as stage,
        cast(amount as decimal(18, 2)) as amount,
        cast(cost_of_goods as decimal(18, 2)) as cost_of_goods,
        upper(trim(currency)) as currency,
        {{ clean_text('manager') }} as manager,
        -- Already a salted hash: connectors hash e-mails and phones before anything lands.
        {{ clean_text('contact_key') }} as contact_key,
        {{ clean_text('visit_id') }} as visit_id,
        {{ clean_text('client_id') }} as client_id,
        {{ clean_text('click_id') }} as click_id,
        {{ clean_tag('utm_source') }} as utm_source,
        {{ clean_tag('utm_medium') }} as utm_medium,
        {{ clean_tag('utm_campaign') }} as utm_campaign,
        {{ clean_tag('utm_content') }} as utm_content,
        {{ clean_tag('utm_term') }} as utm_term
    from source
)

select * from renamed
{% endmacro %}


{% macro stage_deal_stage_events(relation, default_system) %}
with source as (
    select * from {{ relation }}
),

renamed as (
    select
        {{ clean_text('deal_id') }} as deal_id,
        coalesce({{ clean_text('source_system') }}, '{{ default_system }}') as source_system,
        {{ clean_text('stage') }} as stage,
        {{ to_utc_timestamp('entered_at') }} as entered_at
    from source
)

select * from renamed
{% endmacro %}


{% macro stage_calls(relation, default_system) %}
with source as (
    select * from {{ relation }}
),

renamed as (
    select
        {{ clean_text('call_id') }} as call_id,
        coalesce({{ clean_text('source_system') }}, '{{ default_system }}') as source_system,
        {{ to_utc_timestamp('started_at') }} as started_at,
        {{ clean_text('caller_key') }} as caller_key,
        cast(duration_s as {{ dbt.type_bigint() }}) as duration_s,
        cast(is_target as {{ dbt.type_boolean() }}) as is_target,
        {{ clean_text('visit_id') }} as visit_id,
        {{ clean_text('client_id') }} as client_id,
        {{ clean_tag('utm_source') }} as utm_source,
        {{ clean_tag('utm_medium') }} as utm_medium,
        {{ clean_tag('utm_campaign') }} as utm_campaign
    from source
)

select * from renamed
{% endmacro %}


{% macro stage_rejected_rows(relation, default_system, source_file='source_file', source_row='source_row') %}
{#- Quarantined rows in the one shape fct_rejected_rows unions: where each came from, and why.
    A source without a file or row number passes its own key as source_file and 'null' as row. -#}
with source as (
    select * from {{ relation }}
),

renamed as (
    select
        '{{ default_system }}' as source_system,
        {{ clean_text('entity') }} as entity,
        {{ clean_text(source_file) }} as source_file,
        cast({{ source_row }} as {{ dbt.type_bigint() }}) as source_row,
        {{ clean_text('reason') }} as reason,
        raw as raw_row
    from source
)

select * from renamed
{% endmacro %}


{% macro dlt_load_id(relation) %}
    {#- The dlt load that last wrote the row: incremental models find new and restated rows by it.
        A table some other loader filled has none: its rows count as loaded by this run (a load id
        is the epoch second it started), so as new on every run. A subquery (a source renamed
        first) must select it itself. -#}
    {%- if execute and relation is not string -%}
        {%- set names = adapter.get_columns_in_relation(relation) | map(attribute='name') | list -%}
        {%- if '_dlt_load_id' not in names -%}
            {{ return("cast('" ~ ('%.6f' % run_started_at.timestamp()) ~ "' as " ~ dbt.type_string() ~ ")") }}
        {%- endif -%}
    {%- endif -%}
    {{ return('_dlt_load_id') }}
{% endmacro %}
