{#- Which keys a night changed (dirty keys), and model-specific reasons to rebuild whole
    (meta incremental_full_check: a reason, or '' for none). -#}

{% macro visits_source_rewritten(plan) %}
    {#- A source whose every visit was written since the last run replaced its table (the demo's
        loads, a file drop merged whole): visits it no longer has must go, and only a whole
        rebuild finds them. -#}
    {%- if plan.loaded_since is none -%}{{ return('no load read yet') }}{%- endif -%}
    {{ return(sources_reloaded_since(ref('int_visits_unioned'), plan.loaded_since)) }}
{% endmacro %}

{% macro staged_visits_rewritten(plan) %}
    {#- int_visits_unioned's own check, the same against the staged visits it has not read. -#}
    {%- set since = max_load_id(this) -%}
    {%- if since is none -%}{{ return('') }}{%- endif -%}  {#- empty: the delta reads everything #}
    {%- set staged = '(' ~ union_sources('visits', with_source_name=true, with_load_id=true) ~ ') as staged' -%}
    {{ return(sources_reloaded_since(staged, since)) }}
{% endmacro %}

{% macro sources_reloaded_since(visits, since) %}
    {#- The reason to rebuild whole when some source's visits were all loaded after `since`. -#}
    {%- set rewritten = run_query(
        "select source_name from " ~ visits
        ~ " group by source_name having min(_dlt_load_id) > '" ~ since ~ "'"
        ~ " order by source_name").columns[0].values() -%}
    {{ return(('every visit of ' ~ rewritten | join(', ') ~ ' was reloaded') if rewritten else '') }}
{% endmacro %}

{#- Dirty keys of the path and credit models (DESIGN.md "Paths"), from the stamped tables
    (int_touch_events, int_deal_signatures, int_stitched_clients) with the model's own `since`.
    A deal's path, opportunity touch and rule-based credit read only its own row, stitching and
    opportunity (its signature) and the live touches of its browsers; a null path reads only its
    browser's live touches and whether a deal is stitched to it. Touches that left a browser stay
    stamped (is_deleted), gone deals and browsers no longer stitched too: every change shows. -#}

{% macro dirty_deals(since) %}
    select deal_key from {{ ref('int_deal_signatures') }} where _stamp > {{ since }}
    union
    select deal_key from {{ ref('int_deals_stitched') }}
    where client_id in (select client_id from {{ ref('int_touch_events') }} where _stamp > {{ since }})
{% endmacro %}

{% macro dirty_null_clients(since) %}
    select client_id from {{ ref('int_touch_events') }} where _stamp > {{ since }}
    union
    select client_id from {{ ref('int_stitched_clients') }} where _stamp > {{ since }}
{% endmacro %}

{% macro dirty_conversions(since) %}
    {#- Deal paths (conversion_id = deal_key) and null paths ('null:<client_id>') together. -#}
    select deal_key as conversion_id from ({{ dirty_deals(since) }}) as dirty_deals
    union
    select {{ dbt.concat(["'null:'", 'client_id']) }} from ({{ dirty_null_clients(since) }}) as dirty_clients
{% endmacro %}

{% macro dirty_deal_models(dirty_deals) %}
    {#- The (deal, attribution model) keys of the long credit tables for those deals. -#}
    select {{ dirty_deals }}.deal_key, models.attribution_model
    from {{ dirty_deals }}
    cross join (
        {%- for m in var('attribution_models') %}
        select '{{ m }}' as attribution_model{% if not loop.last %} union all{% endif %}
        {%- endfor %}
    ) as models
{% endmacro %}
