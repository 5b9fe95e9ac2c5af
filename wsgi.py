"""The production entry point, served by the Procfile's granian (or `gunicorn -c gunicorn.conf.py`).

PRODUCTION refuses unsafe settings at start-up and redirects plain HTTP to HTTPS.
For local use, `flask --app selector run` starts the development defaults.
"""

import gc

from selector import create_app

app = create_app({"PRODUCTION": True})
# What exists after start-up lives as long as the process: keep the cyclic collector off it,
# which removes its long pauses from request latency.
gc.freeze()
