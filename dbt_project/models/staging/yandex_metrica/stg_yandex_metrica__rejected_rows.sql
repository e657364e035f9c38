{{ config(enabled=source_enabled('yandex_metrica')) }}
-- Log lines the connector could not read as a visit, with the reason; for the data-health page.
with source as (
    select * from {{ source('raw_yandex_metrica', 'rejected_rows') }}
),

renamed as (
    select
        'yandex_metrica' as source_system,
        {{ clean_text('entity') }} as entity,
        {{ clean_text('source_file') }} as source_file,
        cast(source_row as {{ dbt.type_bigint() }}) as source_row,
        {{ clean_text('reason') }} as reason,
        raw as raw_row
    from source
)

select * from renamed
