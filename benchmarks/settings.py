"""Production settings with the benchmark data generator installed.

benchmarks/run.py builds its database under these; the site it then measures runs on
the production settings alone, which never offer generate_bench_data (every account
it makes shares one known password).
"""

from recognise.settings.production import *  # noqa: F403
from recognise.settings.production import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks"]
