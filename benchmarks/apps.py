from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """The benchmark data generator. Only benchmarks/settings.py installs it: its accounts
    share one known password, so the site itself never offers the command."""

    name = "benchmarks"
    label = "benchmarks"
    verbose_name = "Benchmarks"
