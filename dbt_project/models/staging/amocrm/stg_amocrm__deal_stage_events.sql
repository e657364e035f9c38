{{ config(enabled=source_enabled('amocrm')) }}
{#- amoCRM lead_added / lead_status_changed events -> the stage each lead entered, and when.
    A lead moved to another pipeline enters "<new pipeline> / <status>". -#}
{%- set epoch = "cast('1970-01-01 00:00:00' as " ~ dbt.type_timestamp() ~ ")" -%}

with source as (
    select * from {{ source('raw_amocrm', 'lead_events') }}
),

renamed as (
    select
        cast(lead_id as {{ dbt.type_string() }}) as deal_id,
        'amocrm' as source_system,
        {{ dbt.concat([
            "coalesce(" ~ clean_text('pipeline_name') ~ ", " ~ clean_text('pipeline_id') ~ ")",
            "' / '",
            "coalesce(" ~ clean_text('status_name') ~ ", " ~ clean_text('status_id') ~ ")",
        ]) }} as stage,
        {{ dbt.dateadd('second', 'created_at', epoch) }} as entered_at,
        status_id
    from source
),

final as (
    select
        deal_id,
        source_system,
        stage,
        entered_at
    from renamed
    where status_id is not null
)

select * from final
