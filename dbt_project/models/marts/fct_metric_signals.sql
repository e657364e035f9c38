-- One row per report_date × kind × subject over the last signal_report_days days of data:
--   kind 'cpl'              subject = channel (channels with cost in the window), cost / leads
--   kind 'stage_conversion' subject = funnel step: visit_to_lead (leads / visits) and, when listed
--                           in signal_funnel_steps, lead_to_won (won deals / leads)
-- under the default attribution model (the first of attribution_models). value is the ratio over
-- the signal_value_days days ending at report_date (1 = that day); trailing_value is the same ratio
-- over the signal_trailing_days days before them: a ratio of sums, so quiet days weigh what they
-- hold. A zero denominator gives NULL, never a signal. is_signal: |relative_change| reaches
-- signal_threshold and the trailing window holds at least signal_min_volume leads (cpl) or
-- entries into the step (conversion).
{%- set models = var('attribution_models') -%}
{%- if models is string -%}{%- set models = models.split(',') -%}{%- endif -%}
{%- set default_model = models[0] | trim -%}
{%- set trailing_days = var('signal_trailing_days', 28) | int -%}
{%- set value_days = var('signal_value_days', 1) | int -%}
{%- set report_days = var('signal_report_days', 14) | int -%}
{%- set threshold = var('signal_threshold', 0.5) | float -%}
{%- set min_volume = var('signal_min_volume', 20) | float -%}
{%- set steps = var('signal_funnel_steps', ['visit_to_lead']) -%}
{%- if steps is string -%}{%- set steps = steps.split(',') | map('trim') | list -%}{%- endif -%}
{%- for step in steps -%}
    {%- if step not in ['visit_to_lead', 'lead_to_won'] -%}
        {{ exceptions.raise_compiler_error("var signal_funnel_steps: unknown step '" ~ step ~ "' (known: visit_to_lead, lead_to_won)") }}
    {%- endif -%}
{%- endfor -%}
{%- if trailing_days < 1 or value_days < 1 or report_days < 1 -%}
    {{ exceptions.raise_compiler_error("vars signal_trailing_days, signal_value_days and signal_report_days must be at least 1") }}
{%- endif -%}
{#- window bounds, exclusive: the value window is (value_start, report_date], the trailing one
    (window_start, value_start] -#}
{%- set value_start = 'cast(' ~ dbt.dateadd('day', -value_days, 'report_dates.report_date') ~ ' as date)' -%}
{%- set window_start = 'cast(' ~ dbt.dateadd('day', -(value_days + trailing_days), 'report_dates.report_date') ~ ' as date)' %}

with channel_daily as (
    select
        report_date,
        channel,
        cost,
        leads
    from {{ ref('fct_channel_daily') }}
    where attribution_model = '{{ default_model }}'
),

funnel_daily as (
    select
        report_date,
        visits,
        leads,
        deals_won
    from {{ ref('fct_funnel_daily') }}
    where attribution_model = '{{ default_model }}'
),

daily as (
    select
        report_date,
        'cpl' as kind,
        channel as subject,
        sum(cost) as numerator,
        {{ exact_sum('leads') }} as denominator
    from channel_daily
    group by report_date, channel
    {%- if 'visit_to_lead' in steps %}
    union all
    select
        report_date,
        'stage_conversion' as kind,
        'visit_to_lead' as subject,
        {{ exact_sum('leads') }} as numerator,
        sum(visits) as denominator
    from funnel_daily
    group by report_date
    {%- endif %}
    {%- if 'lead_to_won' in steps %}
    union all
    select
        report_date,
        'stage_conversion' as kind,
        'lead_to_won' as subject,
        {{ exact_sum('deals_won') }} as numerator,
        {{ exact_sum('leads') }} as denominator
    from funnel_daily
    group by report_date
    {%- endif %}
),

report_dates as (
    select distinct daily.report_date
    from daily
    cross join (select max(report_date) as max_date from daily) as latest
    where daily.report_date > cast({{ dbt.dateadd('day', -report_days, 'latest.max_date') }} as date)
),

subjects as (
    select distinct
        kind,
        subject
    from daily
),

windows as (
    -- value window: the value_days days ending at report_date; trailing: the trailing_days before
    select
        report_dates.report_date,
        subjects.kind,
        subjects.subject,
        {{ exact_sum("case when daily.report_date > " ~ value_start ~ " then daily.numerator end") }}
            as value_numerator,
        {{ exact_sum("case when daily.report_date > " ~ value_start ~ " then daily.denominator end") }}
            as value_denominator,
        {{ exact_sum("case when daily.report_date <= " ~ value_start ~ " then daily.numerator end") }}
            as trailing_numerator,
        {{ exact_sum("case when daily.report_date <= " ~ value_start ~ " then daily.denominator end") }}
            as trailing_denominator
    from report_dates
    cross join subjects
    left join daily
        on subjects.kind = daily.kind
        and subjects.subject = daily.subject
        and daily.report_date <= report_dates.report_date
        and daily.report_date > {{ window_start }}
    group by report_dates.report_date, subjects.kind, subjects.subject
),

ratios as (
    select
        report_date,
        kind,
        subject,
        coalesce(value_numerator, 0) as value_numerator,
        coalesce(value_denominator, 0) as value_denominator,
        coalesce(trailing_numerator, 0) as trailing_numerator,
        coalesce(trailing_denominator, 0) as trailing_denominator,
        value_numerator / nullif(value_denominator, 0) as value,
        trailing_numerator / nullif(trailing_denominator, 0) as trailing_value
    from windows
),

final as (
    select
        report_date,
        kind,
        subject,
        value,
        trailing_value,
        (value - trailing_value) / nullif(trailing_value, 0) as relative_change,
        case
            when abs((value - trailing_value) / nullif(trailing_value, 0)) >= {{ threshold }}
                and trailing_denominator >= {{ min_volume }}
                then true
            else false
        end as is_signal,
        value_numerator,
        value_denominator,
        trailing_numerator,
        trailing_denominator
    from ratios
    -- a channel with no cost in either window has no CPL to watch (organic, direct, ...)
    where kind <> 'cpl' or value_numerator + trailing_numerator > 0
)

select * from final
