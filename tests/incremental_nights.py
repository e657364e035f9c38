"""Following nights' raw changes, as SQL on the demo's raw tables: every row a night writes carries
the night's new load id ({load}), as a dlt load's rows do."""

LAST_DAY = "(select max({column}) from raw_demo.{table}) - interval 1 day"


def _next_day(table: str, column: str, replace: str) -> str:
    """The table's last day of rows again a day later, ids suffixed (the next day's data)."""
    return (
        f"insert into raw_demo.{table} by name "
        f"select * replace ({column} + interval 1 day as {column}, {replace}, "
        f"'{{load}}' as _dlt_load_id) from raw_demo.{table} "
        f"where {column} >= {LAST_DAY.format(column=column, table=table)}"
    )


# The next day of everything, Direct restating a day, a deal won, a late visit of an old day.
NIGHT_1 = [
    """insert into raw_demo.deal_stage_events by name
       select * replace (deal_id || '-n1' as deal_id, entered_at + interval 1 day as entered_at,
                         '{load}' as _dlt_load_id)
       from raw_demo.deal_stage_events
       where deal_id in (
           select deal_id from raw_demo.deals
           where created_at >= (select max(created_at) from raw_demo.deals) - interval 1 day)""",
    _next_day(
        "deals",
        "created_at",
        "deal_id || '-n1' as deal_id, closed_at + interval 1 day as closed_at, "
        "updated_at + interval 1 day as updated_at, visit_id || '-n1' as visit_id, "
        "click_id || '-n1' as click_id",
    ),
    _next_day("calls", "started_at", "call_id || '-n1' as call_id, visit_id || '-n1' as visit_id"),
    _next_day(
        "visits", "started_at", "visit_id || '-n1' as visit_id, click_id || '-n1' as click_id"
    ),
    """insert into raw_demo.ad_spend by name
       select * replace (spend_date + 1 as spend_date, '{load}' as _dlt_load_id)
       from raw_demo.ad_spend where spend_date = (select max(spend_date) from raw_demo.ad_spend)""",
    # Direct restates a day inside its window
    """update raw_demo.ad_spend set cost = cost + 1.11, _dlt_load_id = '{load}'
       where spend_date = (select max(spend_date) - 4 from raw_demo.ad_spend)""",
    # a deal is won
    """update raw_demo.deals
       set status = 'won', stage = 'won', closed_at = created_at + interval 5 day,
           _dlt_load_id = '{load}'
       where deal_id = (select min(deal_id) from raw_demo.deals where status = 'open')""",
    # a late visit of an old day, by a browser a deal is tied to, inside that deal's window
    """insert into raw_demo.visits by name
       select 'late-n1' as visit_id, 'metrica' as source_system, client_id,
              created_at - interval 3 day as started_at, 'sendsay' as utm_source,
              'email' as utm_medium, 'digest_2026_10' as utm_campaign,
              'https://kuhni-demo.ru/?utm_source=sendsay' as landing_url,
              'desktop' as device_category, 1 as page_views, '{load}' as _dlt_load_id
       from raw_demo.deals where client_id is not null order by created_at, deal_id limit 1""",
]

# A campaign starts spending on tags visits already carried, a visit restated to another
# browser, a call marked non-target, a deal deleted in the CRM, a lead from a browser that had
# none, open deals becoming opportunities.
_DELETED = """(select max(deal_id) from raw_demo.deals
               where client_id is not null and deal_id not like '%-n1')"""
NIGHT_2 = [
    """insert into raw_demo.ad_spend by name
       select date '2026-10-15' as spend_date, 'sendsay' as source_system,
              'sendsay-demo' as account_id, 'digest-10' as campaign_id,
              'Digest October' as campaign_name, 'sendsay' as utm_source, 'email' as utm_medium,
              'digest_2026_10' as utm_campaign, 0 as impressions, 0 as clicks, 1500.00 as cost,
              'RUB' as currency, '{load}' as _dlt_load_id""",
    """update raw_demo.visits
       set _dlt_load_id = '{load}',
           client_id = (select client_id from raw_demo.deals where client_id is not null
                        order by created_at desc, deal_id limit 1)
       where visit_id = (select min(visit_id) from raw_demo.visits where utm_source = 'vk')""",
    """update raw_demo.calls set is_target = false, _dlt_load_id = '{load}'
       where call_id = (select min(call_id) from raw_demo.calls
                        where is_target and client_id is not null)""",
    # the demo's ground truth forgets the deleted deal too
    f"delete from raw_demo.planted_truth where deal_id = {_DELETED}",
    f"delete from raw_demo.deals where deal_id = {_DELETED}",
    """insert into raw_demo.deals by name
       select 'n2-new' as deal_id, 'amocrm' as source_system,
              max(started_at) + interval 1 hour as created_at, 'open' as status,
              'Кухни' as pipeline, 'new' as stage, 0 as amount, 'RUB' as currency, client_id,
              max(started_at) + interval 1 hour as updated_at, '{load}' as _dlt_load_id
       from raw_demo.visits
       where client_id not in (select client_id from raw_demo.deals where client_id is not null)
       group by client_id order by client_id limit 1""",
    """insert into raw_demo.deal_stage_events by name
       select deal_id, source_system, 'meeting' as stage, created_at + interval 2 day as entered_at,
              '{load}' as _dlt_load_id
       from raw_demo.deals where status = 'open' order by deal_id limit 3""",
]

# A source reloads all its visits, as a replace load does.
NIGHT_3 = ["update raw_demo.visits set _dlt_load_id = '{load}'"]

# A realistic night for measuring: the next day of everything and each source's restatement
# window re-merged (spend 7 days, visits and calls 3 days, deals updated in the last 7 days).
BENCH_NIGHT = [
    *NIGHT_1[:5],
    """update raw_demo.ad_spend set cost = cost + 0.01, _dlt_load_id = '{load}'
       where spend_date > (select max(spend_date) - 7 from raw_demo.ad_spend)""",
    """update raw_demo.visits set _dlt_load_id = '{load}'
       where started_at > (select max(started_at) - interval 3 day from raw_demo.visits)""",
    """update raw_demo.calls set _dlt_load_id = '{load}'
       where started_at > (select max(started_at) - interval 3 day from raw_demo.calls)""",
    """update raw_demo.deals
       set _dlt_load_id = '{load}',
           status = case when status = 'open' and hash(deal_id) % 5 = 0 then 'won' else status end
       where updated_at > (select max(updated_at) - interval 7 day from raw_demo.deals)""",
]
