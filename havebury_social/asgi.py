import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "havebury_social.settings.base")
application = get_asgi_application()
