{{ config(enabled=source_enabled('retailcrm')) }}
-- Orders the connector could not load, in the shape of stg_files__rejected_rows.
with source as (
    select * from {{ source('raw_retailcrm', 'rejected_rows') }}
),

renamed as (
    select
        'retailcrm' as source_system,
        {{ clean_text('entity') }} as entity,
        {{ clean_text('row_key') }} as source_file,
        cast(null as {{ dbt.type_bigint() }}) as source_row,
        {{ clean_text('reason') }} as reason,
        raw as raw_row
    from source
)

select * from renamed
