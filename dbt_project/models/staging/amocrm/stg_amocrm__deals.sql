{{ config(enabled=source_enabled('amocrm')) }}
{#- amoCRM leads -> canonical deals. Times are unix seconds (UTC); price is whole roubles in the
    account currency; 142 / 143 are won / lost in every pipeline. -#}
{%- set epoch = "cast('1970-01-01 00:00:00' as " ~ dbt.type_timestamp() ~ ")" -%}

with source as (
    select * from {{ source('raw_amocrm', 'leads') }}
),

renamed as (
    select
        cast(id as {{ dbt.type_string() }}) as deal_id,
        'amocrm' as source_system,
        {{ dbt.dateadd('second', 'created_at', epoch) }} as created_at,
        case
            when closed_at > 0 then {{ dbt.dateadd('second', 'closed_at', epoch) }}
        end as closed_at,
        {{ dbt.dateadd('second', 'updated_at', epoch) }} as updated_at,
        case status_id
            when 142 then 'won'
            when 143 then 'lost'
            else 'open'
        end as status,
        -- a pipeline or status deleted since shows its id
        coalesce({{ clean_text('pipeline_name') }}, {{ clean_text('pipeline_id') }}) as pipeline,
        coalesce({{ clean_text('status_name') }}, {{ clean_text('status_id') }}) as stage,
        cast(price as decimal(18, 2)) as amount,
        cast(null as decimal(18, 2)) as cost_of_goods,
        upper(trim(currency)) as currency,
        {{ clean_text('responsible_user_id') }} as manager,
        {{ clean_text('contact_key') }} as contact_key,
        {{ clean_text('visit_id') }} as visit_id,
        {{ clean_text('client_id') }} as client_id,
        coalesce(
            {{ clean_text('click_id') }},
            {{ clean_text('yclid') }},
            {{ clean_text('gclid') }},
            {{ clean_text('fbclid') }}
        ) as click_id,
        {{ clean_tag('utm_source') }} as utm_source,
        {{ clean_tag('utm_medium') }} as utm_medium,
        {{ clean_tag('utm_campaign') }} as utm_campaign,
        {{ clean_tag('utm_content') }} as utm_content,
        {{ clean_tag('utm_term') }} as utm_term,
        coalesce(is_deleted, false) as is_deleted
    from source
),

final as (
    -- A deleted lead is a tombstone in raw (so the merge replaced its row): it leaves here.
    select
        deal_id,
        source_system,
        created_at,
        closed_at,
        updated_at,
        status,
        pipeline,
        stage,
        amount,
        cost_of_goods,
        currency,
        manager,
        contact_key,
        visit_id,
        client_id,
        click_id,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_content,
        utm_term
    from renamed
    where not is_deleted
)

select * from final
