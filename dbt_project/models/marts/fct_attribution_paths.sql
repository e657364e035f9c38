-- One row per distinct path ('a > b > c'): how many conversions, their value, and how many
-- null paths took it (the input of Markov and Shapley tools).
with touches as (
    select * from {{ ref('fct_attribution_touchpoints') }}
),

paths as (
    select
        conversion_id,
        max(case when is_converted then 1 else 0 end) as is_converted,
        max(revenue) as revenue,
        {{ dbt.listagg('channel', "' > '", 'order by touch_index') }} as path
    from touches
    group by conversion_id
),

final as (
    select
        path,
        cast(sum(is_converted) as {{ dbt.type_bigint() }}) as total_conversions,
        cast(sum(case when is_converted = 1 then revenue else 0 end) as decimal(38, 2))
            as total_conversion_value,
        cast(sum(1 - is_converted) as {{ dbt.type_bigint() }}) as total_null
    from paths
    group by path
)

select * from final
