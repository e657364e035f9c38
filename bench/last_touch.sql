-- The floor for this engine: last-touch attribution and the per-channel daily rollup in one
-- hand-written DuckDB query, straight from the drop files. What it leaves out, the pipeline has:
-- stitching by contact through calls, UTM-only deals, calls as touches, path transforms, every
-- other model, tests. {drop} and {rules} are filled in by bench/baselines.py.
with rules as (
    select
        cast(priority as integer) as priority,
        nullif(utm_source, '') as r_source, nullif(utm_medium, '') as r_medium,
        nullif(utm_campaign, '') as r_campaign, nullif(referrer_host, '') as r_host,
        nullif(click_id_kind, '') as r_kind, channel
    from read_csv('{rules}', all_varchar = true)
),

visits as (
    select
        visit_id, client_id, click_id, started_at,
        nullif(lower(trim(coalesce(try(url_decode(replace(utm_source, '+', ' '))), utm_source))), '') as src,
        nullif(lower(trim(coalesce(try(url_decode(replace(utm_medium, '+', ' '))), utm_medium))), '') as med,
        nullif(lower(trim(coalesce(try(url_decode(replace(utm_campaign, '+', ' '))), utm_campaign))), '') as cmp,
        nullif(lower(regexp_extract(referrer, '^[a-zA-Z][a-zA-Z0-9+.-]*://([^/:?#]+)', 1)), '') as host,
        nullif(lower(click_id_kind), '') as kind
    from read_parquet('{drop}/visits/*.parquet')
),

spend as (
    -- the latest file wins for a restated day (night.parquet sorts after base.parquet)
    select * from read_parquet('{drop}/ad_spend/*.parquet', filename = true)
    qualify row_number() over (partition by spend_date, source_system, campaign_id order by filename desc) = 1
),

combos as (
    select distinct src, med, cmp, host, kind from visits
    union
    select distinct lower(utm_source), lower(utm_medium), lower(utm_campaign), null, null from spend
),

channel_of as (
    select src, med, cmp, host, kind, arg_min(channel, priority) as channel
    from combos
    inner join rules
        on (r_source is null or (r_source = '<empty>' and src is null) or (r_source <> '<empty>' and src like r_source))
        and (r_medium is null or (r_medium = '<empty>' and med is null) or (r_medium <> '<empty>' and med like r_medium))
        and (r_campaign is null or (r_campaign = '<empty>' and cmp is null) or (r_campaign <> '<empty>' and cmp like r_campaign))
        and (r_host is null or (r_host = '<empty>' and host is null) or (r_host <> '<empty>' and host like r_host))
        and (r_kind is null or (r_kind = '<empty>' and kind is null) or (r_kind <> '<empty>' and kind like r_kind))
    group by all
),

rates as (
    select rate_date, currency, cast(rub_per_unit as decimal(18, 6)) as rate
    from read_csv('{rates}', columns = {{'rate_date': 'date', 'currency': 'varchar', 'rub_per_unit': 'varchar'}})
    union all
    select date '1900-01-01', 'RUB', 1
),

deals as (
    -- the latest version of each deal (the night's file re-sends changed deals)
    select * from read_parquet('{drop}/deals/*.parquet')
    qualify row_number() over (partition by deal_id order by updated_at desc) = 1
),

stitched as (
    select
        deals.deal_id, deals.created_at, deals.status, deals.amount, deals.currency,
        coalesce(by_visit.client_id, deals.client_id, by_click.client_id) as person
    from deals
    left join visits as by_visit on deals.visit_id = by_visit.visit_id
    left join (select click_id, any_value(client_id) as client_id from visits where click_id is not null group by 1) as by_click
        on deals.click_id = by_click.click_id
),

last_touch as (
    select stitched.deal_id, arg_max(channel_of.channel, (visits.started_at, visits.visit_id)) as channel
    from stitched
    inner join visits
        on visits.client_id = stitched.person
        and visits.started_at between stitched.created_at - interval 30 day and stitched.created_at
    inner join channel_of
        on visits.src is not distinct from channel_of.src and visits.med is not distinct from channel_of.med
        and visits.cmp is not distinct from channel_of.cmp and visits.host is not distinct from channel_of.host
        and visits.kind is not distinct from channel_of.kind
    group by stitched.deal_id
),

credit as (
    select
        cast(timezone('Europe/Moscow', stitched.created_at) as date) as report_date,
        coalesce(last_touch.channel, '(none)') as channel,
        count(*) as leads,
        count(*) filter (where stitched.status = 'won') as deals_won,
        sum(case when stitched.status = 'won' then round(stitched.amount * rates.rate, 2) end) as revenue
    from stitched
    left join last_touch using (deal_id)
    asof left join rates
        on stitched.currency = rates.currency
        and cast(timezone('Europe/Moscow', stitched.created_at) as date) >= rates.rate_date
    group by all
),

cost as (
    select spend.spend_date as report_date, coalesce(channel_of.channel, 'Other') as channel,
        sum(round(spend.cost * rates.rate, 2)) as cost
    from spend
    left join channel_of
        on lower(spend.utm_source) is not distinct from channel_of.src
        and lower(spend.utm_medium) is not distinct from channel_of.med
        and lower(spend.utm_campaign) is not distinct from channel_of.cmp
        and channel_of.host is null and channel_of.kind is null
    asof left join rates on spend.currency = rates.currency and spend.spend_date >= rates.rate_date
    group by all
)

select
    coalesce(credit.report_date, cost.report_date) as report_date,
    coalesce(credit.channel, cost.channel) as channel,
    coalesce(cost.cost, 0) as cost,
    coalesce(credit.leads, 0) as leads,
    coalesce(credit.deals_won, 0) as deals_won,
    coalesce(credit.revenue, 0) as revenue
from credit
full join cost on credit.report_date = cost.report_date and credit.channel = cost.channel
order by report_date, channel
