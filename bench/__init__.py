"""`make bench`: workload B1 from the demo generator, measured through the real pipeline.

python -m bench --scale 1        # B1 itself: 730 days, 20M visits (generation is cached)
python -m bench --scale 0.01     # the smoke variant CI runs (tests/bench/)

Every figure is the median of --runs repetitions; results go to data/bench/results-<scale>.json
and are printed as a table. BENCHMARKS.md records them with the machine and the command.
"""
