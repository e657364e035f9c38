-- Rows every source quarantined, with the reason: counted on the data-health page, never hidden.
{#- every source that quarantines rows registers 'rejected_rows' in source_entities() -#}
{%- set parts = [] %}
{%- for src in sources_providing('rejected_rows') %}{% do parts.append('stg_' ~ src ~ '__rejected_rows') %}{% endfor %}

with rejected as (
    {%- for p in parts %}
    select source_system, entity, source_file, source_row, reason, raw_row from {{ ref(p) }}
    {% if not loop.last %}union all{% endif %}
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as source_system,
        cast(null as {{ dbt.type_string() }}) as entity,
        cast(null as {{ dbt.type_string() }}) as source_file,
        cast(null as {{ dbt.type_bigint() }}) as source_row,
        cast(null as {{ dbt.type_string() }}) as reason,
        cast(null as {{ dbt.type_string() }}) as raw_row
    where 1 = 0
    {%- endfor %}
)

select * from rejected
