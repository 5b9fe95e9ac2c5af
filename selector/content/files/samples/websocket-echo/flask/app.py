from flask import Flask
from flask_sock import Sock
from simple_websocket import Server

app = Flask(__name__)
# Flask itself only speaks HTTP; flask-sock upgrades a route to a WebSocket.
sock = Sock(app)


@sock.route("/echo")
def echo(ws: Server) -> None:
    # One thread per connection: receive() blocks until the client sends something,
    # and flask-sock ends the loop for us when the client disconnects.
    while True:
        message = ws.receive()
        ws.send(message)
