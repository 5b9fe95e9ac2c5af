from flask import Flask, request

app = Flask(__name__)


@app.get("/hello")
def hello() -> dict[str, str]:
    name = request.args.get("name", "world")
    # Flask turns a returned dict into a JSON response with the right Content-Type.
    return {"message": f"Hello, {name}!"}
