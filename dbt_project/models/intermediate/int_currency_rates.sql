-- Conversion factor to the reporting currency, valid from valid_from (inclusive) to valid_to
-- (exclusive). Amounts before the first rate use the first rate: better than no number.
with rates as (
    select rate_date, currency, rub_per_unit from {{ ref('currency_rates') }}
    union all
    select cast('1900-01-01' as date), 'RUB', cast(1 as decimal(18, 6))
),

change_dates as (
    select distinct rate_date as valid_from from rates
),

currencies as (
    select distinct currency from rates
),

rates_as_of as (
    select
        change_dates.valid_from,
        currencies.currency,
        rates.rub_per_unit,
        row_number() over (
            partition by change_dates.valid_from, currencies.currency
            order by case when rates.rate_date <= change_dates.valid_from then 0 else 1 end,
                case when rates.rate_date <= change_dates.valid_from then rates.rate_date end desc,
                rates.rate_date
        ) as pick
    from change_dates
    cross join currencies
    inner join rates on rates.currency = currencies.currency
),

picked as (
    select valid_from, currency, rub_per_unit from rates_as_of where pick = 1
),

final as (
    select
        picked.currency,
        case
            when picked.valid_from = (select min(valid_from) from change_dates) then cast('1900-01-01' as date)
            else picked.valid_from
        end as valid_from,
        coalesce(
            lead(picked.valid_from) over (partition by picked.currency order by picked.valid_from),
            cast('9999-12-31' as date)
        ) as valid_to,
        -- Division of decimals yields a float in some engines: cast back so money stays exact.
        cast(picked.rub_per_unit / reporting.rub_per_unit as decimal(38, 12)) as to_reporting
    from picked
    inner join picked as reporting
        on reporting.valid_from = picked.valid_from
        and reporting.currency = '{{ var("reporting_currency") }}'
)

select * from final
