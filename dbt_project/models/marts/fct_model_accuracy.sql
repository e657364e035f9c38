-- How far each model's credit is from the channel that really drove each deal, where that is
-- known (the demo source plants it). One row per attribution_model × channel; shares are over
-- the deals with a planted channel, so Σ planted_share = Σ credited_share = 1 per model.
{%- set has_truth = source_enabled('demo') %}

with truth as (
    {%- if has_truth %}
    select
        {{ dbt.concat(['source_system', "':'", 'deal_id']) }} as deal_key,
        true_channel
    from {{ ref('stg_demo__planted_truth') }}
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as deal_key,
        cast(null as {{ dbt.type_string() }}) as true_channel
    where 1 = 0
    {%- endif %}
),

credited as (
    select
        attribution.attribution_model,
        attribution.channel,
        sum(attribution.weight) as credited_leads
    from {{ ref('int_attribution') }} as attribution
    inner join truth on attribution.deal_key = truth.deal_key
    group by 1, 2
),

planted as (
    select true_channel as channel, count(*) as planted_leads
    from truth
    group by 1
),

models as (
    select distinct attribution_model from credited
),

grid as (
    select models.attribution_model, channels.channel
    from models
    cross join (
        select channel from planted
        union
        select channel from credited
    ) as channels
),

final as (
    select
        grid.attribution_model,
        grid.channel,
        cast(coalesce(planted.planted_leads, 0) as {{ dbt.type_bigint() }}) as planted_leads,
        cast(coalesce(credited.credited_leads, 0) as double) as credited_leads,
        cast(coalesce(planted.planted_leads, 0) as double) / (select count(*) from truth) as planted_share,
        cast(coalesce(credited.credited_leads, 0) as double) / (select count(*) from truth) as credited_share
    from grid
    left join planted on grid.channel = planted.channel
    left join credited
        on grid.attribution_model = credited.attribution_model
        and grid.channel = credited.channel
)

select
    *,
    credited_share - planted_share as share_error
from final
