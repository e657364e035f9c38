-- int_visits_unioned and int_visits are incremental and drop visits only when a source reloads
-- all of them (a whole rebuild). Visits deleted from a raw table some other way would linger:
-- this fails then, and `dbt build --full-refresh` is the fix.
with counts as (
    select
        (select count(*) from {{ ref('int_visits') }}) as built,
        (select count(*) from {{ ref('int_visits_unioned') }}) as cleaned,
        (select count(*) from ({{ union_sources('visits') }}) as staged) as loaded
)

select * from counts where built <> loaded or cleaned <> loaded
