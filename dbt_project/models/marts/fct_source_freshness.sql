-- One row per source_system × entity: the last reporting-timezone day the source has data for,
-- its rows from the 7 days before as_of_date on, and all its rows. as_of_date is the build day
-- (var freshness_as_of pins it). The nightly alerts compare last_data_date with each source's
-- due_days (pipelines/alerts/rules.py).
{%- set as_of = var('freshness_as_of', none) %}

with ad_spend as (
    select
        source_system,
        spend_date as data_date
    from {{ ref('int_ad_spend') }}
),

visits as (
    select
        source_system,
        visit_date as data_date
    from {{ ref('int_visits') }}
),

deals as (
    select
        source_system,
        created_date as data_date
    from {{ ref('int_deals') }}
),

calls as (
    select
        source_system,
        {{ local_date('started_at') }} as data_date
    from {{ ref('int_calls_unioned') }}
),

unioned as (
    select 'ad_spend' as entity, source_system, data_date from ad_spend
    union all
    select 'visits' as entity, source_system, data_date from visits
    union all
    select 'deals' as entity, source_system, data_date from deals
    union all
    select 'calls' as entity, source_system, data_date from calls
),

as_of as (
    select
        {% if as_of -%}
        cast('{{ as_of }}' as date) as as_of_date
        {%- else -%}
        {{ local_date(dbt.current_timestamp()) }} as as_of_date
        {%- endif %}
),

final as (
    select
        unioned.source_system,
        unioned.entity,
        max(unioned.data_date) as last_data_date,
        cast(sum(
            case
                when unioned.data_date >= cast({{ dbt.dateadd('day', -7, 'as_of.as_of_date') }} as date)
                    then 1
                else 0
            end
        ) as {{ dbt.type_bigint() }}) as rows_last_7_days,
        cast(count(*) as {{ dbt.type_bigint() }}) as rows_total,
        as_of.as_of_date
    from unioned
    cross join as_of
    group by unioned.source_system, unioned.entity, as_of.as_of_date
)

select * from final
