-- Ties each deal to a person: one row per deal × client_id, by the first rule that matches
-- (DESIGN.md "Stitching"): visit_id → client_id → click_id → contact_key → none.
-- Visits are many and deals few: each rule reads only the visits some deal or call points at.
with deals as (
    select deal_key, visit_id, client_id, click_id, contact_key from {{ ref('int_deals') }}
),

calls as (
    select caller_key, client_id, visit_id from {{ ref('int_calls_unioned') }}
),

visits as (
    select visit_id, client_id, click_id, started_at from {{ ref('int_visits') }}
    where visit_id in (select visit_id from deals)
        or visit_id in (select visit_id from calls)
        or client_id in (select client_id from deals)
        or click_id in (select click_id from deals)
),

by_visit as (
    select distinct deals.deal_key, visits.client_id, 'visit_id' as match_rule, 1 as rule_order
    from deals
    inner join visits on deals.visit_id = visits.visit_id
),

by_client as (
    select distinct deals.deal_key, deals.client_id, 'client_id' as match_rule, 2 as rule_order
    from deals
    where deals.client_id in (select client_id from visits)
),

first_click as (
    -- A click id identifies one ad click; if analytics recorded it twice, the first visit counts.
    select click_id, client_id
    from (
        select
            click_id,
            client_id,
            row_number() over (partition by click_id order by started_at, visit_id) as click_rank
        from visits
        where click_id is not null
    ) as ranked
    where click_rank = 1
),

by_click as (
    select distinct deals.deal_key, first_click.client_id, 'click_id' as match_rule, 3 as rule_order
    from deals
    inner join first_click on deals.click_id = first_click.click_id
),

direct_candidates as (
    select * from by_visit
    union all
    select * from by_client
    union all
    select * from by_click
),

direct_matches as (
    select direct_candidates.*
    from direct_candidates
    inner join (
        select deal_key, min(rule_order) as rule_order from direct_candidates group by deal_key
    ) as best
        on direct_candidates.deal_key = best.deal_key
        and direct_candidates.rule_order = best.rule_order
),

contact_clients as (
    -- Browsers known to belong to a contact: tracked calls, and the contact's other deals
    -- whose form carried a visit, client or click id.
    select calls.caller_key as contact_key, coalesce(calls.client_id, visits.client_id) as client_id
    from calls
    left join visits on calls.visit_id = visits.visit_id
    where calls.caller_key is not null
    union
    select deals.contact_key, direct_matches.client_id
    from direct_matches
    inner join deals on direct_matches.deal_key = deals.deal_key
    where deals.contact_key is not null
),

by_contact as (
    select distinct deals.deal_key, contact_clients.client_id, 'contact_key' as match_rule, 4 as rule_order
    from deals
    inner join contact_clients on deals.contact_key = contact_clients.contact_key
    where contact_clients.client_id is not null
        and deals.deal_key not in (select deal_key from direct_matches)
),

matched as (
    select * from direct_matches
    union all
    select * from by_contact
),

unmatched as (
    select deal_key, cast(null as {{ dbt.type_string() }}) as client_id, 'none' as match_rule, 5 as rule_order
    from deals
    where deal_key not in (select deal_key from matched)
),

final as (
    select deal_key, client_id, match_rule from matched
    union all
    select deal_key, client_id, match_rule from unmatched
)

select * from final
