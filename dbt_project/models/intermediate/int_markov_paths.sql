-- The Markov chain's input (DESIGN.md "markov"): every distinct path over converting and null
-- paths, consecutive repeats of a channel collapsed (no self-loops), with how many paths of each
-- outcome took it. Paths are channel lists joined by ' > '.
with touches as (
    select * from {{ ref('int_paths_unioned') }}
),

collapsed as (
    select *
    from (
        select
            *,
            lag(channel) over (partition by conversion_id order by touch_index) as previous_channel
        from touches
    ) as with_previous
    where previous_channel is null or previous_channel <> channel
),

paths as (
    select
        conversion_id,
        max(case when is_converted then 1 else 0 end) as is_converted,
        {{ dbt.listagg('channel', "' > '", 'order by touch_index') }} as path
    from collapsed
    group by conversion_id
),

final as (
    select
        path,
        is_converted = 1 as is_converted,
        cast(count(*) as {{ dbt.type_bigint() }}) as paths
    from paths
    group by path, is_converted
)

select * from final
