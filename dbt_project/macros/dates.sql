{# Timestamps are stored as UTC without zone; the reporting timezone decides the calendar day. #}

{% macro to_utc_timestamp(expr) -%}
    {{ return(adapter.dispatch('to_utc_timestamp', 'throughline')(expr)) }}
{%- endmacro %}
{% macro default__to_utc_timestamp(expr) -%}
    cast({{ expr }} as {{ dbt.type_timestamp() }})
{%- endmacro %}
{% macro duckdb__to_utc_timestamp(expr) -%}
    {#- The profile pins the session TimeZone to UTC, so this is exact for zoned and naive input. -#}
    cast(cast({{ expr }} as timestamptz) as timestamp)
{%- endmacro %}

{% macro local_date(expr) -%}
    {{ return(adapter.dispatch('local_date', 'throughline')(expr)) }}
{%- endmacro %}
{% macro default__local_date(expr) -%}
    cast(({{ expr }} at time zone 'UTC') at time zone '{{ var("reporting_timezone") }}' as date)
{%- endmacro %}
{% macro duckdb__local_date(expr) -%}
    cast(timezone('{{ var("reporting_timezone") }}', cast({{ expr }} as timestamptz)) as date)
{%- endmacro %}

{% macro days_before(expr, days) -%}
    {{ dbt.dateadd('second', '-' ~ (days * 86400) | int, expr) }}
{%- endmacro %}

{% macro days_between(start_expr, end_expr) -%}
    {#- Fractional days, for time decay. -#}
    ({{ dbt.datediff(start_expr, end_expr, 'second') }} / 86400.0)
{%- endmacro %}
