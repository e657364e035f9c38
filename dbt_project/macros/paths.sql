{#- Path building (DESIGN.md "Paths"), shared by deal paths and null paths.
    `conversions` is a relation or CTE with conversion_id, client_id, conversion_at (one row per
    conversion × client id of its person). Returns the touches: visits of those clients with
    started_at in [conversion_at − lookback_days, conversion_at], ordered by time then visit_id,
    trimmed to the last path_lookback_steps, then transformed (exposure | first | none), and
    numbered: touch_index 1..path_length. -#}
{% macro path_touches(conversions, visits) %}
    {%- set steps = var('path_lookback_steps') | int -%}
    {%- set transform = var('path_transform') -%}
    {%- if transform not in ['exposure', 'first', 'none'] -%}
        {{ exceptions.raise_compiler_error("var path_transform must be exposure, first or none, not '" ~ transform ~ "'") }}
    {%- endif %}
    select
        *,
        row_number() over (partition by conversion_id order by raw_index) as touch_index,
        count(*) over (partition by conversion_id) as path_length
    from (
    select * from (
        select
            *,
            {% if transform == 'exposure' -%}
            -- collapse consecutive repeats of a channel; the first touch of each run stays, and so
            -- does the first touch the step limit keeps (the touch before it is cut off)
            case
                when previous_channel = channel {% if steps > 0 %}and steps_from_end < {{ steps }} {% endif -%}
                then 0
                else 1
            end as keep_touch
            {%- elif transform == 'first' -%}
            -- keep each channel's first occurrence
            case
                when row_number() over (partition by conversion_id, channel order by raw_index) = 1 then 1
                else 0
            end as keep_touch
            {%- else -%}
            1 as keep_touch
            {%- endif %}
        from (
            -- one sort numbers the touches, finds each one's predecessor and counts them from the
            -- end (three window orders were three sorts of every touch)
            select
                *,
                row_number() over touch_order as raw_index,
                lag(channel) over touch_order as previous_channel,
                count(*) over (partition by conversion_id) - row_number() over touch_order + 1 as steps_from_end
            from (
                select distinct
                    conversions.conversion_id,
                    visits.visit_id,
                    visits.started_at as touch_at,
                    visits.channel,
                    visits.sub_channel,
                    visits.report_source,
                    visits.report_campaign_id,
                    visits.campaign_name
                from {{ conversions }} as conversions
                inner join {{ visits }} as visits
                    on conversions.client_id = visits.client_id
                    and visits.started_at >= {{ days_before('conversions.conversion_at', var('lookback_days')) }}
                    and visits.started_at <= conversions.conversion_at
            ) as in_window
            window touch_order as (partition by conversion_id order by touch_at, visit_id)
        ) as ordered
        {% if steps > 0 %}where steps_from_end <= {{ steps }}{% endif %}
    ) as trimmed
    where keep_touch = 1
    ) as transformed
{% endmacro %}


{#- A path's three strings from its touches (conversion_id, is_converted, touch_index, channel):
    path, the channels in order ('a > b'); markov_path, the same with consecutive repeats collapsed;
    channel_set, the distinct channels sorted and '|'-joined. -#}
{% macro path_strings(touches) %}
    {{ return(adapter.dispatch('path_strings', 'throughline')(touches)) }}
{% endmacro %}

{% macro default__path_strings(touches) %}
    select paths.*, markov_paths.markov_path, channel_sets.channel_set
    from (
        select
            conversion_id,
            is_converted,
            {{ dbt.listagg('channel', "' > '", 'order by touch_index') }} as path
        from {{ touches }}
        group by conversion_id, is_converted
    ) as paths
    inner join (
        select conversion_id, {{ dbt.listagg('channel', "' > '", 'order by touch_index') }} as markov_path
        from (
            select
                *,
                lag(channel) over (partition by conversion_id order by touch_index) as previous_channel
            from {{ touches }}
        ) as with_previous
        where previous_channel is null or previous_channel <> channel
        group by conversion_id
    ) as markov_paths on paths.conversion_id = markov_paths.conversion_id
    inner join (
        select conversion_id, {{ dbt.listagg('channel', "'|'", 'order by channel') }} as channel_set
        from (select distinct conversion_id, channel from {{ touches }}) as distinct_channels
        group by conversion_id
    ) as channel_sets on paths.conversion_id = channel_sets.conversion_id
{% endmacro %}

{% macro duckdb__path_strings(touches) %}
    {#- One list per path, three strings from it: the portable version's three ordered aggregates,
        a window and two joins took 2.6× as long, and ordered aggregates cannot spill (at 3× B1 they
        ran out of memory under the 2 GB cap). The list is of (touch_index, channel) pairs, built
        unordered and sorted per path, which can. -#}
    select
        conversion_id,
        is_converted,
        array_to_string(channels, ' > ') as path,
        array_to_string(
            list_filter(channels, lambda channel, i: i = 1 or channel <> channels[i - 1]), ' > '
        ) as markov_path,
        array_to_string(list_sort(list_distinct(channels)), '|') as channel_set
    from (
        select
            conversion_id,
            is_converted,
            list_transform(
                list_sort(list({'touch_index': touch_index, 'channel': channel})),
                lambda touch: touch.channel
            ) as channels
        from {{ touches }}
        group by conversion_id, is_converted
    ) as listed
{% endmacro %}
