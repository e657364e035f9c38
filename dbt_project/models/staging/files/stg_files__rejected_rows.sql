{{ config(enabled=source_enabled('files')) }}
-- Rows of dropped files that failed validation, with the reason; counted on the data-health page.
with source as (
    select * from {{ source('raw_files', 'rejected_rows') }}
),

renamed as (
    select
        'files' as source_system,
        {{ clean_text('entity') }} as entity,
        {{ clean_text('source_file') }} as source_file,
        cast(source_row as {{ dbt.type_bigint() }}) as source_row,
        {{ clean_text('reason') }} as reason,
        raw as raw_row
    from source
)

select * from renamed
