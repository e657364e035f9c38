-- Every deal gives away exactly one unit of credit under every model.
select deal_key, attribution_model, sum(weight) as total_weight
from {{ ref('int_attribution') }}
group by deal_key, attribution_model
having abs(sum(weight) - 1) > 1e-9
