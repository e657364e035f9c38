-- The Markov chain's input (DESIGN.md "markov"): every distinct path over converting and null
-- paths, consecutive repeats of a channel collapsed (no self-loops), with how many paths of each
-- outcome took it. Paths are channel lists joined by ' > '.
with paths as (
    select * from {{ ref('int_paths') }}
),

final as (
    select
        markov_path as path,
        is_converted,
        cast(count(*) as {{ dbt.type_bigint() }}) as paths
    from paths
    group by markov_path, is_converted
)

select * from final
