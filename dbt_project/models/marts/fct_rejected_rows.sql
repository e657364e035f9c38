-- Rows every source quarantined, with the reason: counted on the data-health page, never hidden.
{%- set parts = [] %}
{%- if source_enabled('files') %}{% do parts.append('stg_files__rejected_rows') %}{% endif %}

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
