-- One row per channel: its share of the conversions the Shapley model credits, with the 95%
-- bootstrap interval and a flag when there are too few conversions to trust it.
select
    channel,
    share,
    share_low,
    share_high,
    conversions,
    resamples,
    is_too_little_data
from {{ ref('int_shapley_shares') }}
