import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "havebury_social.settings.base")
application = get_wsgi_application()

# What is loaded by now (Django, the apps, URL patterns, templates' code) lives as long as the
# worker: out of the garbage collector's generations, a full collection no longer walks it. In
# a web worker that was an 85 ms stop of every thread about every 20,000 requests, and a third
# of the collector's time per request (docs/benchmarks.md, "where a request's CPU goes").
gc.freeze()
