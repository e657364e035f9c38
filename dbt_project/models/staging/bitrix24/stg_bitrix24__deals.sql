{{ config(enabled=source_enabled('bitrix24')) }}
{#- The connector lands canonical names; only the constant columns are added here.
    pipeline is CATEGORY_ID ('0' = the default pipeline), stage the STAGE_ID without C<n>:. -#}
{%- set deals -%}
(
    select
        deal_id,
        'bitrix24' as source_system,
        created_at,
        closed_at,
        updated_at,
        status,
        pipeline,
        stage,
        amount,
        cast(null as decimal(18, 2)) as cost_of_goods,
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
    from {{ source('raw_bitrix24', 'deals') }}
    where not coalesce(is_deleted, false)
) as bitrix24_deals
{%- endset -%}
{{ stage_deals(deals, 'bitrix24') }}
