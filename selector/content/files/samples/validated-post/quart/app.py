from pydantic import BaseModel, EmailStr, Field, ValidationError
from quart import Quart
from quart_schema import (
    QuartSchema,
    RequestSchemaValidationError,
    validate_request,
    validate_response,
)

app = Quart(__name__)
QuartSchema(app)


class SignupIn(BaseModel):
    email: EmailStr  # checked by the email-validator package
    seats: int = Field(ge=1, le=50)


class Signup(SignupIn):
    id: int


signups: dict[int, Signup] = {}


@app.post("/signups")
@validate_request(SignupIn)
@validate_response(Signup, 201)
async def create_signup(data: SignupIn) -> tuple[Signup, int]:
    signup = Signup(id=len(signups) + 1, **data.model_dump())
    signups[signup.id] = signup
    return signup, 201


# Quart-Schema answers a bad body with a bare 400; report each field's problems with a 422.
@app.errorhandler(RequestSchemaValidationError)
async def invalid_body(error: RequestSchemaValidationError) -> tuple[dict, int]:
    problem = error.validation_error
    if not isinstance(problem, ValidationError):
        return {"errors": {"body": [str(problem)]}}, 422
    errors: dict[str, list[str]] = {}
    for item in problem.errors():
        field = ".".join(str(part) for part in item["loc"]) or "body"
        errors.setdefault(field, []).append(item["msg"])
    return {"errors": errors}, 422
