-- One row per customer: a person with at least one won deal. The person is the deal's contact
-- (contact_key, a salted hash); a won deal without one falls back to the browser it was stitched to
-- (int_deals_stitched), and a deal with neither is a customer of its own. Orders are won deals,
-- dated by the deal's created_at in the reporting timezone (the day revenue is dated by everywhere),
-- money in the reporting currency. Segments and RFM are as of the last data day (the last
-- fct_channel_daily report_date), never the wall clock. No personal data: keys are hashes, deal ids
-- are the CRM's own.
{%- set inactive_days = var('inactive_days', 180) | int %}
{%- set vip_top_share = var('vip_top_share', 0.1) | float %}
{%- if inactive_days <= 0 %}
    {{ exceptions.raise_compiler_error("var inactive_days must be a positive number of days, got " ~ inactive_days) }}
{%- endif %}
{%- if vip_top_share <= 0 or vip_top_share > 1 %}
    {{ exceptions.raise_compiler_error("var vip_top_share must be in (0, 1], got " ~ vip_top_share) }}
{%- endif %}

with won_deals as (
    select deal_key, deal_id, source_system, contact_key, created_at, created_date, amount_reporting
    from {{ ref('int_deals') }}
    where status = 'won'
),

stitched_clients as (
    -- without a contact key only the id rules can match, and each gives one browser
    select deal_key, min(client_id) as client_id
    from {{ ref('int_deals_stitched') }}
    where client_id is not null
    group by deal_key
),

first_touches as (
    -- the channel the first_touch model credits (weight 1; '(none)' for a deal without a path)
    {%- if 'first_touch' in var('attribution_models') %}
    select deal_key, coalesce(channel, 'Other') as channel
    from {{ ref('int_attribution') }}
    where attribution_model = 'first_touch' and weight = 1
    {%- else %}
    -- first_touch is not among the configured models: the same rule, read from the paths
    select deals.deal_key, case when touches.deal_key is null then '(none)' else coalesce(touches.channel, 'Other') end as channel
    from {{ ref('int_deals') }} as deals
    left join {{ ref('int_touchpoints') }} as touches
        on deals.deal_key = touches.deal_key and touches.touch_index = 1
    {%- endif %}
),

as_of as (
    select max(report_date) as as_of_date from {{ ref('fct_channel_daily') }}
),

identified as (
    select
        won_deals.*,
        case
            when won_deals.contact_key is not null then 'contact'
            when stitched_clients.client_id is not null then 'client'
            else 'deal'
        end as identity_basis,
        coalesce(won_deals.contact_key, stitched_clients.client_id, won_deals.deal_key) as identity_value,
        coalesce(first_touches.channel, '(none)') as first_touch_channel
    from won_deals
    left join stitched_clients on won_deals.deal_key = stitched_clients.deal_key
    left join first_touches on won_deals.deal_key = first_touches.deal_key
),

orders as (
    select
        *,
        row_number() over (partition by customer_key order by created_at, deal_key) as order_number,
        row_number() over (partition by customer_key order by created_at desc, deal_key desc) as order_number_desc
    from (
        select
            identified.*,
            {{ dbt.hash(dbt.concat(['identity_basis', "':'", 'identity_value'])) }} as customer_key
        from identified
    ) as keyed
),

customers as (
    select
        customer_key,
        max(identity_basis) as identity_basis,
        max(contact_key) as contact_key,
        max(case when order_number = 1 then deal_key end) as first_deal_key,
        max(case when order_number_desc = 1 then deal_key end) as last_deal_key,
        {{ dbt.listagg('deal_key', "', '", 'order by created_at, deal_key') }} as deal_keys,
        max(case when order_number = 1 then first_touch_channel end) as first_touch_channel,
        min(created_date) as first_order_date,
        max(created_date) as last_order_date,
        count(*) as orders,
        cast(coalesce(sum(amount_reporting), 0) as decimal(18, 2)) as revenue
    from orders
    group by customer_key
),

measured as (
    select
        customers.*,
        cast({{ dbt.date_trunc('month', 'customers.first_order_date') }} as date) as acquisition_month,
        as_of.as_of_date,
        {{ dbt.datediff('customers.last_order_date', 'as_of.as_of_date', 'day') }} as recency_days,
        customers.revenue / customers.orders as aov,
        count(*) over () as customer_count
    from customers
    cross join as_of
),

scored as (
    -- Quintiles like ntile(5), except that ties share a score (ntile would split customers with
    -- the same value between scores by an arbitrary order): a customer's score is the fifth their
    -- value starts in, 5 = most recent, most orders, most revenue.
    select
        measured.*,
        1 + floor(5 * (rank() over (order by last_order_date) - 1) / customer_count) as r_score,
        1 + floor(5 * (rank() over (order by orders) - 1) / customer_count) as f_score,
        1 + floor(5 * (rank() over (order by revenue) - 1) / customer_count) as m_score,
        -- VIP: fewer than the top share of customers have a higher average order value
        (rank() over (order by aov desc) - 1) < {{ vip_top_share }} * customer_count as is_vip,
        recency_days >= {{ inactive_days }} as is_inactive
    from measured
),

final as (
    select
        -- ids
        customer_key,
        identity_basis,
        contact_key,
        first_deal_key,
        last_deal_key,
        deal_keys,
        -- dimensions
        first_touch_channel,
        acquisition_month,
        case
            when is_inactive then 'inactive'
            when is_vip then 'vip'
            when orders > 1 then 'loyal'
            else 'new'
        end as segment,
        is_vip,
        is_inactive,
        -- measures
        orders,
        revenue,
        cast(aov as decimal(18, 2)) as aov,
        recency_days,
        orders as frequency,
        revenue as monetary,
        cast(r_score as integer) as r_score,
        cast(f_score as integer) as f_score,
        cast(m_score as integer) as m_score,
        {{ dbt.concat([
            'cast(cast(r_score as integer) as ' ~ dbt.type_string() ~ ')',
            'cast(cast(f_score as integer) as ' ~ dbt.type_string() ~ ')',
            'cast(cast(m_score as integer) as ' ~ dbt.type_string() ~ ')',
        ]) }} as rfm_cell,
        -- dates
        first_order_date,
        last_order_date,
        -- the settings the segments were built with (the dashboard states them)
        {{ inactive_days }} as inactive_days,
        {{ vip_top_share }} as vip_top_share,
        as_of_date
    from scored
)

select * from final
