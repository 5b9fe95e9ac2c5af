from typing import Any

from flask import Flask, request
from marshmallow import Schema, ValidationError, fields, validate

app = Flask(__name__)


class SignupSchema(Schema):
    email = fields.Email(required=True)
    # strict=True refuses "3" as well as 3.5: the client must send a JSON number.
    seats = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=50))


signup_schema = SignupSchema()
signups: list[dict[str, Any]] = []


@app.post("/signups")
def create_signup() -> tuple[dict[str, Any], int]:
    # silent=True: a missing or malformed body is reported as field errors, not a bare 400.
    payload = request.get_json(silent=True) or {}
    try:
        data = signup_schema.load(payload)
    except ValidationError as err:
        return {"errors": err.messages}, 422
    signup = {"id": len(signups) + 1, **data}
    signups.append(signup)
    return signup, 201
