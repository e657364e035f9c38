-- One row per created_date × manager × source_system: the deals a manager got that day and how
-- they ended. Deals are dated by their creation (the reporting-timezone day, as every conversion
-- is), so won, lost and revenue belong to the day the deal came in. A deal without a manager is
-- counted under '(none)'. The cycle of a closed deal is closed_at − created_at in fractional days;
-- the sum and the count are kept apart so a page can average over any range. A closed deal
-- without closed_at, or closed before it was created, has no cycle (it still counts as won/lost).
with deals as (
    select * from {{ ref('int_deals') }}
),

classified as (
    select
        created_date,
        coalesce(nullif(trim(manager), ''), '(none)') as manager,
        source_system,
        case when status = 'won' then 1 else 0 end as is_won,
        case when status = 'lost' then 1 else 0 end as is_lost,
        case when status = 'won' then amount_reporting end as won_amount,
        case
            when status in ('won', 'lost') and closed_at >= created_at
                then {{ days_between('created_at', 'closed_at') }}
        end as cycle_days
    from deals
),

final as (
    select
        created_date,
        manager,
        source_system,
        cast(count(*) as {{ dbt.type_bigint() }}) as deals_created,
        cast(sum(is_won) as {{ dbt.type_bigint() }}) as deals_won,
        cast(sum(is_lost) as {{ dbt.type_bigint() }}) as deals_lost,
        cast(coalesce(sum(won_amount), 0) as decimal(38, 2)) as revenue,
        cast(coalesce(sum(cycle_days), 0) as {{ dbt.type_float() }}) as closed_cycle_days,
        cast(count(cycle_days) as {{ dbt.type_bigint() }}) as closed_deals
    from classified
    group by created_date, manager, source_system
)

select * from final
