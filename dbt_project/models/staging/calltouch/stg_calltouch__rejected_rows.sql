{{ config(enabled=source_enabled('calltouch')) }}
-- Calls the connector could not use (no callId, unreadable date), with the reason; for the
-- data-health page (fct_rejected_rows), never silently dropped.
with source as (
    select * from {{ source('raw_calltouch', 'calls') }}
    where reject_reason is not null
),

final as (
    select
        'calltouch' as source_system,
        'calls' as entity,
        'calls-diary' as source_file,
        cast(null as {{ dbt.type_bigint() }}) as source_row,
        reject_reason as reason,
        {{ dbt.concat(["'callId='", "call_id", "'; date='", "coalesce(call_date, '')"]) }} as raw_row
    from source
)

select * from final
