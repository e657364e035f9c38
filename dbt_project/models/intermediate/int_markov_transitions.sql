-- First-order Markov chain input (DESIGN.md "markov"): transition counts between states start,
-- channels, conversion and null over all paths, consecutive repeats of a channel collapsed.
with touches as (
    select * from {{ ref('int_paths_unioned') }}
),

collapsed as (
    select
        conversion_id,
        is_converted,
        channel,
        row_number() over (partition by conversion_id order by touch_index) as step
    from (
        select
            *,
            lag(channel) over (partition by conversion_id order by touch_index) as previous_channel
        from touches
    ) as with_previous
    where previous_channel is null or previous_channel <> channel
),

steps as (
    select
        conversion_id,
        is_converted,
        channel as from_state,
        coalesce(
            lead(channel) over (partition by conversion_id order by step),
            case when is_converted then '(conversion)' else '(null)' end
        ) as to_state
    from collapsed
    union all
    select conversion_id, is_converted, '(start)' as from_state, channel as to_state
    from collapsed
    where step = 1
),

final as (
    select from_state, to_state, count(*) as transitions
    from steps
    group by from_state, to_state
)

select * from final
