{#- Incremental models (issue 7; DECISIONS.md "Incremental models"). Each one recomputes, from the
    complete current inputs, every row of the keys a night may have changed (its dirty keys) and
    replaces exactly those keys' rows (strategy replace_keys). That equals a full build as long as
    the dirty keys cover every key whose rows a full build would change; each model says why its
    set does. Anything that can change history wholesale rebuilds the model whole instead: its
    first build, --full-refresh, changed code, vars or seeds (the fingerprint), an upstream
    incremental model rebuilt whole since, or a check of the model's own (meta
    incremental_full_check).

    State: one row per incremental model and successful run in intermediate.incremental_state
    (append-only; the latest row counts): when the run started, whether it rebuilt whole, the
    fingerprint, and how far into dlt's loads it read. -#}

{% macro incremental_state_relation() %}
    {{ return(api.Relation.create(database=target.database, schema='intermediate', identifier='incremental_state')) }}
{% endmacro %}

{% macro create_incremental_state() %}
    {#- on-run-start: created once, before models run side by side and append to it. -#}
    {%- set state = incremental_state_relation() -%}
    create schema if not exists {{ state.include(identifier=false) }};
    create table if not exists {{ state }} (
        model_name {{ dbt.type_string() }},
        run_stamp {{ dbt.type_timestamp() }},
        mode {{ dbt.type_string() }},
        fingerprint {{ dbt.type_string() }},
        loaded_through {{ dbt.type_string() }}
    )
{% endmacro %}

{% macro run_stamp() %}
    {#- When this dbt invocation started (UTC): every row a run writes carries it as _stamp. -#}
    {{ return("cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as " ~ dbt.type_timestamp() ~ ")") }}
{% endmacro %}

{% macro incremental_fingerprint() %}
    {#- What shapes history besides the data: the code of the model and of every model it reads,
        however far up (a staging fix too), every project macro, the seeds and the vars the
        intermediate layer reads. Any change and the model rebuilds whole. -#}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set models = [model.unique_id] -%}
    {%- for node in models -%}  {#- grows as it goes: every ancestor once #}
        {%- for parent in graph.nodes[node].depends_on.nodes if node in graph.nodes -%}
            {%- if parent.startswith('model.') and parent not in models -%}{%- do models.append(parent) -%}{%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set parts = [] -%}
    {%- for node in models | sort -%}
        {%- do parts.append(graph.nodes[node].raw_code if node in graph.nodes else model.raw_code) -%}
    {%- endfor -%}
    {%- for name in ['throughline_sources', 'reporting_timezone', 'reporting_currency', 'attribution_models',
                     'position_first_share', 'position_last_share', 'time_decay_half_life_days',
                     'lookback_days', 'path_lookback_steps', 'path_transform', 'lead_call_sources',
                     'w_shaped_opportunity_stages', 'yandex_direct_utm_campaign', 'vk_ads_utm_campaign'] -%}
        {%- do parts.append(name ~ '=' ~ tojson(var(name, none))) -%}
    {%- endfor -%}
    {%- for node in graph.nodes.values() | selectattr('resource_type', 'equalto', 'seed') | sort(attribute='unique_id') -%}
        {%- do parts.append(node.unique_id ~ '=' ~ node.checksum.checksum) -%}
    {%- endfor -%}
    {%- for name in throughline.keys() | sort -%}
        {%- do parts.append(throughline[name].macro.macro_sql) -%}
    {%- endfor -%}
    {{ return('md5:' ~ local_md5(parts | join('\n'))) }}
{% endmacro %}

{% macro incremental_meta(key, default=none) %}
    {{ return((config.get('meta') or {}).get(key, default)) }}
{% endmacro %}

{% macro max_load_id(relation) %}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- set rows = run_query('select max(_dlt_load_id) from ' ~ relation).rows -%}
    {{ return(rows[0][0] if rows else none) }}
{% endmacro %}

{% macro incremental_plan() %}
    {#- {delta, since, loaded_since, loaded_through, reason}; delta false = rebuild whole. `since` is
        the SQL timestamp of this model's last successful run: upstream rows stamped later changed
        after it. With meta incremental_raw (the union whose _dlt_load_id the model reads),
        `loaded_since` is the dlt load id it had read through and `loaded_through` the newest now. -#}
    {%- set raw = incremental_meta('incremental_raw') -%}
    {%- set plan = {'delta': false, 'since': none, 'loaded_since': none, 'loaded_through': none, 'reason': 'first build or --full-refresh'} -%}
    {%- if not execute or this is none -%}{{ return(plan) }}{%- endif -%}  {#- parsing, or a unit test #}
    {%- if raw -%}{%- do plan.update({'loaded_through': max_load_id(ref(raw))}) -%}{%- endif -%}
    {%- if not incremental_run() -%}{{ return(plan) }}{%- endif -%}
    {%- set upstream = incremental_meta('incremental_upstream', []) -%}
    {%- set state = run_query(
        "select model_name, max(run_stamp), max(case when mode = 'full' then run_stamp end)"
        ~ " from " ~ incremental_state_relation()
        ~ " where model_name in ('" ~ ([this.identifier] + upstream) | join("', '") ~ "') group by model_name") -%}
    {%- set last_run, last_full = {}, {} -%}
    {%- for row in state.rows -%}
        {%- do last_run.update({row[0]: row[1]}) -%}
        {%- do last_full.update({row[0]: row[2]}) -%}
    {%- endfor -%}
    {%- set mine = run_query(
        "select fingerprint, loaded_through from " ~ incremental_state_relation()
        ~ " where model_name = '" ~ this.identifier ~ "' order by run_stamp desc limit 1").rows -%}
    {%- set ns = namespace(reason=none) -%}
    {%- if not mine -%}
        {%- set ns.reason = 'no state' -%}
    {%- elif mine[0][0] != incremental_fingerprint() -%}
        {%- set ns.reason = 'code, vars or seeds changed' -%}
    {%- else -%}
        {%- for name in upstream -%}
            {%- if ns.reason is none and (name not in last_run
                    or (last_full[name] is not none and last_full[name] > last_run[this.identifier])) -%}
                {%- set ns.reason = name ~ ' rebuilt whole since' -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if ns.reason is none -%}
        {%- do plan.update({
            'delta': true,
            'reason': 'delta',
            'since': "cast('" ~ last_run[this.identifier].strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as " ~ dbt.type_timestamp() ~ ")",
            'loaded_since': mine[0][1],
        }) -%}
        {%- set check = incremental_meta('incremental_full_check') -%}
        {%- if check -%}
            {%- set reason = throughline[check](plan) | trim -%}
            {%- if reason -%}{%- do plan.update({'delta': false, 'reason': reason}) -%}{%- endif -%}
        {%- endif -%}
    {%- else -%}
        {%- do plan.update({'reason': ns.reason}) -%}
    {%- endif -%}
    {{ return(plan) }}
{% endmacro %}

{% macro record_incremental_state(mode, loaded_through) %}
    insert into {{ incremental_state_relation() }} (model_name, run_stamp, mode, fingerprint, loaded_through)
    select
        '{{ this.identifier }}', {{ run_stamp() }}, '{{ mode }}', '{{ incremental_fingerprint() }}',
        {% if loaded_through is none %}cast(null as {{ dbt.type_string() }}){% else %}'{{ loaded_through }}'{% endif %}
    where not exists (
        select 1 from {{ incremental_state_relation() }}
        where model_name = '{{ this.identifier }}' and run_stamp = {{ run_stamp() }}
    )
{% endmacro %}

{% macro record_full_build() %}
    {#- post-hook: a build that did not go through replace_keys (the first one, --full-refresh)
        rebuilt whole; replace_keys has recorded its own run already. -#}
    {%- set raw = incremental_meta('incremental_raw') -%}
    {{ record_incremental_state('full', max_load_id(ref(raw)) if raw else none) }}
{% endmacro %}

{% macro get_incremental_replace_keys_sql(arg_dict) %}
    {#- The strategy: the batch holds every current row of its keys, and tombstones (rows marked
        _is_tombstone) for keys that have none any more; every target row of those keys goes,
        the batch's rows come in. A whole rebuild replaces the table (with the model's columns as
        they are now). -#}
    {%- set plan = incremental_plan() -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set batch = arg_dict['temp_relation'] -%}
    {%- set keys = arg_dict['unique_key'] -%}
    {%- if keys is string -%}{%- set keys = [keys] -%}{%- endif -%}
    {%- if plan.delta -%}
        {%- set columns = arg_dict['dest_columns'] | map(attribute='quoted') | join(', ') -%}
        delete from {{ target }}
        where exists (
            select 1 from {{ batch }} as batch
            where {% for k in keys %}batch.{{ k }} is not distinct from {{ target.identifier }}.{{ k }}{% if not loop.last %} and {% endif %}{% endfor %}
        );
        insert into {{ target }} ({{ columns }})
        select {{ columns }} from {{ batch }} where not _is_tombstone;
    {%- else -%}
        {{ log(this.identifier ~ ': rebuilt whole (' ~ plan.reason ~ ')', info=true) }}
        {{ replace_table_from_batch(target, batch) }};
    {%- endif %}
    {{ record_incremental_state('delta' if plan.delta else 'full', plan.loaded_through) }}
{% endmacro %}

{% macro replace_table_from_batch(target, batch) %}
    {{ return(adapter.dispatch('replace_table_from_batch', 'throughline')(target, batch)) }}
{% endmacro %}
{% macro default__replace_table_from_batch(target, batch) %}
    {{ exceptions.raise_compiler_error('replace_keys: no whole rebuild for this adapter yet (see macros/incremental.sql)') }}
{% endmacro %}
{% macro duckdb__replace_table_from_batch(target, batch) %}
    create or replace table {{ target }} as
    select * exclude (_is_tombstone) from {{ batch }} where not _is_tombstone
{% endmacro %}

{% macro incremental_run() %}
    {#- is_incremental(), and false in a unit test (which has no `this` to look up). -#}
    {{ return(this is not none and is_incremental()) }}
{% endmacro %}

{% macro tombstone_flag() %}
    {#- The batch's marker column, only in an incremental run: a first build has none to carry. -#}
    {%- if incremental_run() %}, false as _is_tombstone{% endif -%}
{% endmacro %}

{% macro tombstones(dirty, keys, columns) %}
    {#- One row per dirty key with nothing but the key: its old rows go, nothing comes in.
        columns: how many columns follow the keys, or every column's name in order. -#}
    union all
    select
    {%- if columns is number %} {{ keys | join(', ') }},{% for i in range(columns) %} null,{% endfor %}
    {%- else %}{% for c in columns %} {{ c if c in keys else 'null' }},{% endfor %}
    {%- endif %} true as _is_tombstone
    from {{ dirty }}
{% endmacro %}
