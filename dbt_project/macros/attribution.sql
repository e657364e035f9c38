{#- Weighting rules of the rule-based models (DESIGN.md "Attribution models"). Each returns a
    SQL expression over one touch row carrying touch_index, path_length, last_non_direct_index,
    decay_raw, decay_total, markov_effect, markov_total, shapley_share and channel_touches; the
    weights of a path sum to 1. -#}

{% macro known_models() %}
    {{ return(['first_touch', 'last_touch', 'last_non_direct', 'linear', 'position_based', 'time_decay',
               'markov', 'shapley', 'w_shaped']) }}
{% endmacro %}

{% macro attribution_weight(model) %}
    {%- set first_share = var('position_first_share') | float -%}
    {%- set last_share = var('position_last_share') | float -%}
    {%- if first_share < 0 or last_share < 0 or first_share + last_share > 1 -%}
        {{ exceptions.raise_compiler_error("position_first_share and position_last_share must be >= 0 and sum to at most 1") }}
    {%- endif -%}
    {%- if model == 'first_touch' -%}
        case when touch_index = 1 then 1.0 else 0.0 end
    {%- elif model == 'last_touch' -%}
        case when touch_index = path_length then 1.0 else 0.0 end
    {%- elif model == 'last_non_direct' -%}
        case when touch_index = coalesce(last_non_direct_index, path_length) then 1.0 else 0.0 end
    {%- elif model == 'linear' -%}
        1.0 / path_length
    {%- elif model == 'position_based' -%}
        case
            when path_length = 1 then 1.0
            when path_length = 2 then 0.5
            when touch_index = 1 then {{ first_share }}
            when touch_index = path_length then {{ last_share }}
            else (1 - {{ first_share }} - {{ last_share }}) / (path_length - 2)
        end
    {%- elif model == 'time_decay' -%}
        decay_raw / decay_total
    {%- elif model == 'markov' -%}
        {#- removal effects are global; within a path each touch gets its channel's share -#}
        case when markov_total > 0 then markov_effect / markov_total else 1.0 / path_length end
    {%- elif model == 'w_shaped' -%}
        {{ w_shaped_weight('touch_index', 'path_length', 'has_opportunity_touch', false) }}
    {%- elif model == 'shapley' -%}
        {#- the channel's Shapley share in this path's set, split over its touches -#}
        shapley_share / channel_touches
    {%- else -%}
        {{ exceptions.raise_compiler_error("no weighting rule for model '" ~ model ~ "'") }}
    {%- endif -%}
{% endmacro %}

{% macro w_shaped_weight(touch_index, path_length, has_opportunity_touch, is_opportunity_touch) -%}
    {#- DESIGN.md: 30% first touch, 30% the lead's touch, 30% the opportunity's touch, 10% over the
        rest. One touch may hold several roles (its shares add up); the opportunity touch is the
        lead's unless a later touch came before the opportunity (an extra row, is_opportunity_touch).
        With no touch outside the roles, the 10% is spread over all of them. -#}
    {%- set n = path_length -%}
    {%- set touches = '(' ~ n ~ ' + case when ' ~ has_opportunity_touch ~ ' then 1 else 0 end)' -%}
    {%- if is_opportunity_touch -%}
        0.3 + case when {{ n }} >= 3 then 0.0 else 0.1 / {{ touches }} end
    {%- else -%}
        case when {{ touch_index }} = 1 then 0.3 else 0.0 end
        + case when {{ touch_index }} = {{ n }} then 0.3 else 0.0 end
        + case when {{ touch_index }} = {{ n }} and not {{ has_opportunity_touch }} then 0.3 else 0.0 end
        + case
            when {{ n }} < 3 then 0.1 / {{ touches }}
            when {{ touch_index }} > 1 and {{ touch_index }} < {{ n }} then 0.1 / ({{ n }} - 2)
            else 0.0
        end
    {%- endif -%}
{%- endmacro %}

{% macro exact_sum(expr) -%}
    {#- Fractional credit summed as DECIMAL and returned as a float: a float sum depends on the
        order threads add the values in, and the marts must come out identical on every run. -#}
    cast(sum(cast({{ expr }} as decimal(38, 18))) as double)
{%- endmacro %}
