from urllib.parse import urlsplit

from flask import Blueprint, Flask, abort, request
from flask_sock import Sock
from simple_websocket import Server

# Browsers let a page on any site open a WebSocket to yours: accept only your own pages.
ALLOWED_HOSTS = {"localhost", "127.0.0.1"}

bp = Blueprint("echo", __name__)
# Flask itself only speaks HTTP; flask-sock upgrades a route to a WebSocket.
sock = Sock()


@bp.before_request
def own_pages_only() -> None:
    # Runs before the upgrade, so another site's page gets a plain 403.
    if urlsplit(request.headers.get("Origin", "")).hostname not in ALLOWED_HOSTS:
        abort(403)


@sock.route("/echo", bp=bp)
def echo(ws: Server) -> None:
    # One thread per connection: receive() blocks until the client sends something,
    # and flask-sock ends the loop for us when the client disconnects.
    while True:
        ws.send(ws.receive())


def create_app() -> Flask:
    app = Flask(__name__)
    sock.init_app(app)
    app.register_blueprint(bp)
    return app
