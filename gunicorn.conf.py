"""gunicorn settings, each overridable from the environment."""

import os

bind = f"{os.environ.get('WEB_HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# The app writes one JSON line per request itself; gunicorn's own access log would repeat it.
accesslog = None
errorlog = "-"
# The app reads X-Forwarded-* itself, and only with FLASK_PROXY_COUNT set; gunicorn trusts no
# address to set the scheme unless an operator names one.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "")
# Each worker imports the app after the fork, so no database connection is shared between workers.
preload_app = False
