"""The production entry point: `gunicorn -c gunicorn.conf.py wsgi:app`.

PRODUCTION refuses unsafe settings at start-up and redirects plain HTTP to HTTPS.
For local use, `flask --app selector run` starts the development defaults.
"""

from selector import create_app

app = create_app({"PRODUCTION": True})
