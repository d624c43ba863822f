import os

from django.core.asgi import get_asgi_application

from kitbag.core.serving import settle_after_start

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kitbag.settings")
application = get_asgi_application()
settle_after_start()
