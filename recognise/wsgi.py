import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recognise.settings.production")

application = get_wsgi_application()

# What is loaded by now (Django, Wagtail, every app's models, views and URLs) lives as
# long as the process. Set aside from the garbage collector, it is no longer walked by
# each full collection, which otherwise stalls whichever request triggers it for about
# 150 ms every few hundred requests.
import_module(settings.ROOT_URLCONF)
gc.freeze()
