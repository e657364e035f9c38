{# Value cleaning shared by every staging model. DuckDB-only functions sit behind dispatch. #}

{% macro clean_text(expr) -%}
    nullif(trim(cast({{ expr }} as {{ dbt.type_string() }})), '')
{%- endmacro %}

{% macro clean_tag(expr) -%}
    {#- UTM values: URL-decoded ('+' is a space in query strings), trimmed, lower-cased. -#}
    nullif(lower(trim({{ url_decode("replace(cast(" ~ expr ~ " as " ~ dbt.type_string() ~ "), '+', ' ')") }})), '')
{%- endmacro %}

{% macro url_decode(expr) -%}
    {{ return(adapter.dispatch('url_decode', 'throughline')(expr)) }}
{%- endmacro %}
{% macro default__url_decode(expr) -%}{{ expr }}{%- endmacro %}
{% macro duckdb__url_decode(expr) -%}
    {#- A malformed escape ('100%') is kept as written rather than failing the model. Only values
        with a '%' are decoded: try() costs on every row, and most tags have nothing to decode. -#}
    case when contains({{ expr }}, '%') then coalesce(try(url_decode({{ expr }})), {{ expr }}) else {{ expr }} end
{%- endmacro %}

{% macro url_host(expr) -%}
    {{ return(adapter.dispatch('url_host', 'throughline')(expr)) }}
{%- endmacro %}
{% macro default__url_host(expr) -%}
    nullif(lower(substring({{ expr }} from '^[a-zA-Z][a-zA-Z0-9+.-]*://([^/:?#]+)')), '')
{%- endmacro %}
{% macro duckdb__url_host(expr) -%}
    nullif(lower(regexp_extract({{ expr }}, '^[a-zA-Z][a-zA-Z0-9+.-]*://([^/:?#]+)', 1)), '')
{%- endmacro %}

{% macro url_param(url, name) -%}
    {{ return(adapter.dispatch('url_param', 'throughline')(url, name)) }}
{%- endmacro %}
{% macro default__url_param(url, name) -%}
    nullif(substring({{ url }} from '[?&]{{ name }}=([^&#]*)'), '')
{%- endmacro %}
{% macro duckdb__url_param(url, name) -%}
    nullif(regexp_extract({{ url }}, '[?&]{{ name }}=([^&#]*)', 1), '')
{%- endmacro %}

{% macro url_param_if(needed, url, name) -%}
    {#- A URL parameter read only for the rows that need it (`needed`, a condition) and whose URL
        has parameters at all. Callers compute it in a step of their own and refer to the result:
        written inside a COALESCE beside the column it stands in for, the regex appears more than
        once, DuckDB hoists it as a common subexpression and runs it on every row. -#}
    case when {{ needed }} and {{ dbt.position("'='", url) }} > 0 then {{ url_param(url, name) }} end
{%- endmacro %}
