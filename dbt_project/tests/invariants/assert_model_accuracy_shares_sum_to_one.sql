-- Over the deals with a planted channel, every model's credited shares and the planted shares
-- each sum to 1 (no deal lost between the truth and the credit).
select attribution_model, sum(planted_share) as planted, sum(credited_share) as credited
from {{ ref('fct_model_accuracy') }}
group by attribution_model
having abs(sum(planted_share) - 1) > 1e-9 or abs(sum(credited_share) - 1) > 1e-9
