"""The WSGI entry point: `gunicorn wsgi:app`."""

from selector import create_app

app = create_app()
