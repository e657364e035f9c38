{{ config(enabled=source_enabled('retailcrm')) }}
{#- Orders as deals: tombstones of deleted orders are left out; amount is totalSumm, the stage
    is the status code, the pipeline the site (store); purchaseSumm 0 means "not tracked". -#}
{%- set orders -%}
(
    select
        cast(id as {{ dbt.type_string() }}) as deal_id,
        'retailcrm' as source_system,
        created_at,
        closed_at,
        updated_at,
        deal_status as status,
        site as pipeline,
        status as stage,
        total_summ as amount,
        nullif(purchase_summ, 0) as cost_of_goods,
        currency,
        manager_id as manager,
        contact_key,
        visit_id,
        client_id,
        click_id,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_content,
        utm_term
    from {{ source('raw_retailcrm', 'orders') }}
    where not coalesce(is_deleted, false)
) as orders
{%- endset %}
{{ stage_deals(orders, 'retailcrm') }}
