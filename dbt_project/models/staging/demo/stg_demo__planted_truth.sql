{{ config(enabled=source_enabled('demo')) }}
-- The channel that really drove each simulated deal: ground truth for model accuracy.
with source as (
    select * from {{ source('raw_demo', 'planted_truth') }}
),

renamed as (
    select
        {{ clean_text('deal_id') }} as deal_id,
        coalesce({{ clean_text('source_system') }}, 'demo') as source_system,
        {{ clean_text('true_channel') }} as true_channel,
        {{ clean_tag('true_campaign') }} as true_campaign
    from source
)

select * from renamed
