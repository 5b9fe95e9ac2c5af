"""The floor: a Flask view that returns constant bytes of a given size, served like the site."""

import gc
import os

from flask import Flask, Response

BODY = b"x" * int(os.environ.get("FLOOR_BYTES", "32768"))

app = Flask(__name__)


@app.get("/")
def constant() -> Response:
    return Response(BODY, content_type="text/html; charset=utf-8")


gc.freeze()
