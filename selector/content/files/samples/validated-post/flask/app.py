from typing import Any

from flask import Blueprint, Flask, request
from marshmallow import Schema, ValidationError, fields, validate

bp = Blueprint("signups", __name__)


class SignupSchema(Schema):
    email = fields.Email(required=True)
    # strict=True refuses "3" as well as 3.5: the client must send a JSON integer.
    seats = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=50))


signup_schema = SignupSchema()
signups: list[dict[str, Any]] = []  # stands in for a database table


@bp.post("/signups")
def create_signup() -> tuple[dict[str, Any], int]:
    # silent=True: a missing or malformed body is reported as field errors, not a bare 400.
    payload = request.get_json(silent=True) or {}
    try:
        data = signup_schema.load(payload)
    except ValidationError as err:
        # One entry per problem, each with its field's location: the shape FastAPI answers.
        problems = [
            {"loc": ["body", field], "msg": message}
            for field, messages in err.normalized_messages().items()
            for message in messages
        ]
        return {"detail": problems}, 422
    signup = {"id": len(signups) + 1, **data}
    signups.append(signup)
    return signup, 201


def create_app() -> Flask:
    app = Flask(__name__)
    app.register_blueprint(bp)
    return app
