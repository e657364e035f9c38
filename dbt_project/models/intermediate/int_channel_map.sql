{{ config(
    materialized='incremental',
    incremental_strategy='replace_keys',
    unique_key='channel_key',
    post_hook="{{ record_full_build() }}",
    meta={'incremental_raw': 'int_visits_unioned'},
) }}
-- Channel grouping: every combination of rule inputs seen in visits, spend and deals, mapped by
-- the first matching rule of seeds/channel_rules.csv (lowest priority number wins).
-- Incremental: a combination's channel depends on the seed alone (a changed seed rebuilds the
-- map), so a night only adds the combinations of visits loaded since; spend and deals are small
-- and read whole. A combination no row carries any more stays (it changes no join).
{%- set plan = incremental_plan() %}

with combos as (
    select distinct channel_key, utm_source, utm_medium, utm_campaign, referrer_host, click_id_kind
    from {{ ref('int_visits_unioned') }}
    {%- if plan.delta and plan.loaded_since %}
    where _dlt_load_id > '{{ plan.loaded_since }}'
    {%- endif %}
    union
    select distinct
        channel_key, rule_utm_source, rule_utm_medium, utm_campaign,
        cast(null as {{ dbt.type_string() }}), cast(null as {{ dbt.type_string() }})
    from {{ ref('int_ad_spend_unioned') }}
    union
    select distinct
        channel_key, utm_source, utm_medium, utm_campaign,
        cast(null as {{ dbt.type_string() }}), cast(null as {{ dbt.type_string() }})
    from {{ ref('int_deals_unioned') }}
    union
    -- tracked calls are touches of their own; the seed names their channel
    select
        {{ channel_key('null', 'null', 'null', 'null', "'call'") }},
        cast(null as {{ dbt.type_string() }}), cast(null as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_string() }}), cast(null as {{ dbt.type_string() }}), 'call'
),

rules as (
    select * from {{ ref('channel_rules') }}
),

matched as (
    select
        combos.*,
        rules.priority as rule_priority,
        rules.channel,
        rules.sub_channel,
        row_number() over (partition by combos.channel_key order by rules.priority) as match_rank
    from combos
    inner join rules
        on {{ rule_matches('combos.utm_source', 'rules.utm_source') }}
        and {{ rule_matches('combos.utm_medium', 'rules.utm_medium') }}
        and {{ rule_matches('combos.utm_campaign', 'rules.utm_campaign') }}
        and {{ rule_matches('combos.referrer_host', 'rules.referrer_host') }}
        and {{ rule_matches('combos.click_id_kind', 'rules.click_id_kind') }}
),

final as (
    select
        channel_key,
        utm_source,
        utm_medium,
        utm_campaign,
        referrer_host,
        click_id_kind,
        channel,
        sub_channel,
        rule_priority
        {{- tombstone_flag() }}
    from matched
    where match_rank = 1
    {%- if plan.delta %}
        and channel_key not in (select channel_key from {{ this }})
    {%- endif %}
)

select * from final
