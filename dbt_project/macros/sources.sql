{# Which sources are switched on, and which canonical entities each one provides. #}

{% macro enabled_sources() %}
    {%- set value = var('throughline_sources') -%}
    {%- if value is string -%}{%- set value = value.split(',') -%}{%- endif -%}
    {{ return(value | map('trim') | reject('equalto', '') | list) }}
{% endmacro %}

{% macro source_enabled(name) %}
    {{ return(name in enabled_sources()) }}
{% endmacro %}

{% macro source_entities() %}
    {# New connectors add themselves here: the union models read only what a source provides. #}
    {{ return({
        'demo': ['ad_spend', 'visits', 'deals', 'deal_stage_events', 'calls'],
        'files': ['ad_spend', 'visits', 'deals', 'deal_stage_events', 'calls', 'rejected_rows'],
        'yandex_direct': ['ad_spend'],
        'vk_ads': ['ad_spend'],
        'yandex_metrica': ['visits', 'rejected_rows'],
        'amocrm': ['deals', 'deal_stage_events'],
        'bitrix24': ['deals', 'deal_stage_events'],
        'retailcrm': ['deals', 'deal_stage_events', 'rejected_rows'],
        'calltouch': ['calls', 'rejected_rows'],
    }) }}
{% endmacro %}

{% macro sources_providing(entity) %}
    {%- set found = [] -%}
    {%- for src in enabled_sources() -%}
        {%- if entity in source_entities().get(src, []) -%}{%- do found.append(src) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(found) }}
{% endmacro %}

{% macro union_sources(entity, with_source_name=false, with_load_id=false) %}
    {#- The boring union: every enabled source's staging model, canonical columns only
        (plus `source_name`, the connector a row came from, when asked: source_system is what
        the row says about itself, and a simulation may say 'calltouch'; and `_dlt_load_id`, the
        load that last wrote the row, for incremental models). -#}
    {%- set columns = canonical_columns(entity) -%}
    {%- set parts = sources_providing(entity) -%}
    {%- set s = dbt.type_string() -%}
    {%- if parts | length == 0 -%}
        {# No source provides this entity: an empty relation with the right columns. #}
        select {% for col, dtype in columns %}cast(null as {{ dtype }}) as {{ col }}{% if not loop.last %}, {% endif %}{% endfor %}
        {%- if with_source_name %}, cast(null as {{ s }}) as source_name{% endif %}
        {%- if with_load_id %}, cast(null as {{ s }}) as _dlt_load_id{% endif %}
        where 1 = 0
    {%- else -%}
        {%- for src in parts %}
        select {% for col, dtype in columns %}{{ col }}{% if not loop.last %}, {% endif %}{% endfor %}
        {%- if with_source_name %}, cast('{{ src }}' as {{ s }}) as source_name{% endif %}
        {%- if with_load_id %}, _dlt_load_id{% endif %}
        from {{ ref('stg_' ~ src ~ '__' ~ entity) }}
        {% if not loop.last %}union all{% endif %}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}

{% macro channel_key(utm_source, utm_medium, utm_campaign, referrer_host, click_id_kind) %}
    {#- The inputs of the channel rules folded into one join key ('' for a missing value). -#}
    {{ dbt.concat([
        "coalesce(" ~ utm_source ~ ", '')", "'|'", "coalesce(" ~ utm_medium ~ ", '')", "'|'",
        "coalesce(" ~ utm_campaign ~ ", '')", "'|'", "coalesce(" ~ referrer_host ~ ", '')", "'|'",
        "coalesce(" ~ click_id_kind ~ ", '')"]) }}
{% endmacro %}

{% macro rule_matches(value, pattern) -%}
    {#- blank pattern: any value; '<empty>': no value; otherwise LIKE on a present value. -#}
    ({{ pattern }} is null
        or ({{ pattern }} = '<empty>' and {{ value }} is null)
        or ({{ pattern }} <> '<empty>' and {{ value }} like {{ pattern }}))
{%- endmacro %}
