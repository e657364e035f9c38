{{ config(materialized='view') }}
-- Always after int_calls_unioned, even when no call source makes leads: its unit test turns
-- them on and reads that relation's columns.
-- depends_on: {{ ref('int_calls_unioned') }}
{%- set lead_call_sources = var('lead_call_sources') %}
{%- if lead_call_sources is string %}{% set lead_call_sources = lead_call_sources.split(',') %}{% endif %}
{%- set lead_call_sources = lead_call_sources | map('trim') | reject('equalto', '') | list %}
with unioned as (
    {{ union_sources('deals') }}
),

{% if lead_call_sources %}
calls as (
    select * from {{ ref('int_calls_unioned') }}
),

call_leads as (
    -- A target call from a caller no CRM deal knows is a lead of its own (call tracking is the
    -- only record of it): the caller's first such call, open, without an amount.
    select
        {{ dbt.concat(["'call:'", 'call_id']) }} as deal_id,
        source_system,
        started_at as created_at,
        cast(null as {{ dbt.type_timestamp() }}) as closed_at,
        started_at as updated_at,
        'open' as status,
        'calls' as pipeline,
        'call' as stage,
        cast(null as decimal(18, 2)) as amount,
        cast(null as decimal(18, 2)) as cost_of_goods,
        '{{ var("reporting_currency") }}' as currency,
        cast(null as {{ dbt.type_string() }}) as manager,
        caller_key as contact_key,
        visit_id,
        client_id,
        cast(null as {{ dbt.type_string() }}) as click_id,
        utm_source,
        utm_medium,
        utm_campaign,
        cast(null as {{ dbt.type_string() }}) as utm_content,
        cast(null as {{ dbt.type_string() }}) as utm_term
    from (
        select
            *,
            row_number() over (partition by caller_key order by started_at, call_id) as call_order
        from calls
        where is_target
            and caller_key is not null
            and source_name in ({% for s in lead_call_sources %}'{{ s }}'{% if not loop.last %}, {% endif %}{% endfor %})
            and caller_key not in (select contact_key from unioned where contact_key is not null)
    ) as first_calls
    where call_order = 1
),
{% endif %}

deals as (
    select * from unioned
    {%- if lead_call_sources %}
    union all
    select * from call_leads
    {%- endif %}
),

final as (
    select
        {{ dbt.concat(['source_system', "':'", 'deal_id']) }} as deal_key,
        *,
        {{ channel_key('utm_source', 'utm_medium', 'utm_campaign', 'null', 'null') }} as channel_key,
        (utm_source is not null or utm_medium is not null or utm_campaign is not null) as has_utm
    from deals
)

select * from final
