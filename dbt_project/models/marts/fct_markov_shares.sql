-- One row per channel: its Markov removal effect and global share of conversions, with the 95%
-- bootstrap interval and a flag when there are too few conversions to trust it.
select
    channel,
    removal_effect,
    share,
    share_low,
    share_high,
    conversions,
    resamples,
    is_too_little_data
from {{ ref('int_markov_removal_effects') }}
