{# The canonical entities of DESIGN.md: every source's staging model returns these columns. #}
{% macro canonical_columns(entity) %}
    {%- set s = dbt.type_string() -%}
    {%- set ts = dbt.type_timestamp() -%}
    {%- set n = dbt.type_bigint() -%}
    {%- set money = 'decimal(18, 2)' -%}
    {%- set cols = {
        'ad_spend': [
            ('spend_date', 'date'), ('source_system', s), ('account_id', s), ('campaign_id', s),
            ('campaign_name', s), ('ad_group_id', s), ('ad_group_name', s), ('utm_source', s),
            ('utm_medium', s), ('utm_campaign', s), ('impressions', n), ('clicks', n),
            ('cost', money), ('currency', s)],
        'visits': [
            ('visit_id', s), ('source_system', s), ('client_id', s), ('user_id', s), ('started_at', ts),
            ('utm_source', s), ('utm_medium', s), ('utm_campaign', s), ('utm_content', s),
            ('utm_term', s), ('click_id', s), ('click_id_kind', s), ('referrer', s),
            ('referrer_host', s), ('landing_url', s), ('device_category', s), ('page_views', n)],
        'deals': [
            ('deal_id', s), ('source_system', s), ('created_at', ts), ('closed_at', ts),
            ('updated_at', ts), ('status', s), ('pipeline', s), ('stage', s), ('amount', money),
            ('cost_of_goods', money), ('currency', s), ('manager', s), ('contact_key', s),
            ('visit_id', s), ('client_id', s), ('click_id', s), ('utm_source', s), ('utm_medium', s),
            ('utm_campaign', s), ('utm_content', s), ('utm_term', s)],
        'deal_stage_events': [
            ('deal_id', s), ('source_system', s), ('stage', s), ('entered_at', ts)],
        'calls': [
            ('call_id', s), ('source_system', s), ('started_at', ts), ('caller_key', s),
            ('duration_s', n), ('is_target', dbt.type_boolean()), ('visit_id', s), ('client_id', s),
            ('utm_source', s), ('utm_medium', s), ('utm_campaign', s)],
    } -%}
    {{ return(cols[entity]) }}
{% endmacro %}
