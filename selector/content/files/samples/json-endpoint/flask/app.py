from flask import Blueprint, Flask, request
from werkzeug.exceptions import HTTPException

bp = Blueprint("greetings", __name__)


@bp.get("/hello")
def hello() -> dict[str, str]:
    name = request.args.get("name", "world")
    # Flask turns a returned dict into a JSON response with the right Content-Type.
    return {"message": f"Hello, {name}!"}


def json_error(error: HTTPException) -> tuple[dict[str, str], int]:
    # Flask's own error pages are HTML; an API answers its errors in JSON too.
    return {"detail": error.name}, error.code or 500


def create_app() -> Flask:
    # `flask --app app run` finds this factory; gunicorn takes "app:create_app()".
    app = Flask(__name__)
    app.register_blueprint(bp)
    app.register_error_handler(HTTPException, json_error)
    return app
