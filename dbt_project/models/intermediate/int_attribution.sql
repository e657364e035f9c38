-- The long table: one row per deal × touch × model with the touch's weight; a deal without a
-- path gets one '(none)' row per model. Any credited number can be traced to these rows.
{%- set models = var('attribution_models') %}
{%- set known = ['first_touch', 'last_touch'] %}
{%- for m in models %}
    {%- if m not in known %}
        {{ exceptions.raise_compiler_error("unknown attribution model '" ~ m ~ "' in var attribution_models; known: " ~ known | join(', ')) }}
    {%- endif %}
{%- endfor %}

with touches as (
    select * from {{ ref('int_touchpoints') }}
),

deals as (
    select deal_key from {{ ref('int_deals') }}
),

weighted as (
    {%- for m in models %}
    select
        deal_key,
        '{{ m }}' as attribution_model,
        touch_index,
        channel,
        sub_channel,
        report_source,
        report_campaign_id,
        campaign_name,
        {%- if m == 'first_touch' %}
        case when touch_index = 1 then 1.0 else 0.0 end as weight
        {%- elif m == 'last_touch' %}
        case when touch_index = path_length then 1.0 else 0.0 end as weight
        {%- endif %}
    from touches
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

unattributed as (
    {%- for m in models %}
    select
        deal_key,
        '{{ m }}' as attribution_model,
        0 as touch_index,
        '(none)' as channel,
        cast(null as {{ dbt.type_string() }}) as sub_channel,
        '(none)' as report_source,
        '(none)' as report_campaign_id,
        cast(null as {{ dbt.type_string() }}) as campaign_name,
        1.0 as weight
    from deals
    where deal_key not in (select deal_key from touches)
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

final as (
    select * from weighted
    union all
    select * from unattributed
)

select * from final
