"""Django's WSGI application, for a WSGI server run beside an ASGI one (HTTP only: the
platform's WebSockets need config/asgi.py) and for measuring one against the other."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
application = get_wsgi_application()
