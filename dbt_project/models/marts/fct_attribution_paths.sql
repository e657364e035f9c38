-- One row per distinct path ('a > b > c'): how many conversions, their value, and how many
-- null paths took it (the input of Markov and Shapley tools).
with paths as (
    select * from {{ ref('int_paths') }}
),

deals as (
    select deal_key, status, amount_reporting from {{ ref('int_deals') }}
),

valued as (
    select
        paths.path,
        paths.is_converted,
        case when paths.is_converted and deals.status = 'won' then deals.amount_reporting else 0 end
            as revenue
    from paths
    left join deals on paths.conversion_id = deals.deal_key
),

final as (
    select
        path,
        cast(sum(case when is_converted then 1 else 0 end) as {{ dbt.type_bigint() }}) as total_conversions,
        cast(sum(revenue) as decimal(38, 2)) as total_conversion_value,
        cast(sum(case when is_converted then 0 else 1 end) as {{ dbt.type_bigint() }}) as total_null
    from valued
    group by path
)

select * from final
