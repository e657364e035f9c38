{{ config(
    materialized='incremental',
    incremental_strategy='replace_keys',
    unique_key='deal_key',
    post_hook="{{ record_full_build() }}",
) }}
-- Which deals changed, for the incremental path and credit models: one row per deal with a hash
-- of everything its path and credit read about it (its whole row in int_deals, the browsers it is
-- stitched to and how, when it became an opportunity), stamped (_stamp) with the run that last
-- changed it. A deal that is gone keeps a row with is_deleted, so those models drop it too.
{%- set plan = incremental_plan() %}
{%- set row = ["''"] %}
{%- for column in (adapter.get_columns_in_relation(ref('int_deals')) if execute else []) %}
    {%- do row.extend(["coalesce(cast(" ~ column.quoted ~ " as " ~ dbt.type_string() ~ "), '~')", "'|'"]) %}
{%- endfor %}

with deals as (
    select
        deal_key,
        {{ dbt.hash(dbt.concat(row)) }} as deal_hash
    from {{ ref('int_deals') }}
),

stitching as (
    select
        deal_key,
        {{ dbt.listagg(dbt.concat(["coalesce(client_id, '~')", "':'", 'match_rule']), "','", 'order by client_id, match_rule') }}
            as clients
    from {{ ref('int_deals_stitched') }}
    group by deal_key
),

current_signatures as (
    select
        deals.deal_key,
        -- prefixed: a bare hex digest can look like a phone number to a scan for personal data
        {{ dbt.concat(["'md5:'", dbt.hash(dbt.concat([
            'deals.deal_hash', "'|'", "coalesce(stitching.clients, '~')", "'|'",
            "coalesce(cast(opportunities.opportunity_at as " ~ dbt.type_string() ~ "), '~')"]))]) }}
            as signature
    from deals
    left join stitching on deals.deal_key = stitching.deal_key
    left join {{ ref('int_deal_opportunities') }} as opportunities
        on deals.deal_key = opportunities.deal_key
),

changed as (
    select deal_key, signature, false as is_deleted from current_signatures
    {%- if plan.delta %}
    where not exists (
        select 1 from {{ this }} as stored
        where stored.deal_key = current_signatures.deal_key
            and stored.signature = current_signatures.signature
            and not stored.is_deleted
    )
    union all
    select deal_key, signature, true as is_deleted from {{ this }} as stored
    where not stored.is_deleted
        and stored.deal_key not in (select deal_key from current_signatures)
    {%- endif %}
),

final as (
    select
        deal_key,
        signature,
        is_deleted,
        {{ run_stamp() }} as _stamp
        {{- tombstone_flag() }}
    from changed
)

select * from final
