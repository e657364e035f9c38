"""Nightly alerts: late sources, failed runs and checks, business signals.

`rules` turns the serving snapshot and run results into conditions, `state` decides which of them
are news (FIRING once, RESOLVED once), `notify` delivers through Apprise, `evaluate` ties them
together without Dagster, and `sensors` calls it after each nightly run.
"""
