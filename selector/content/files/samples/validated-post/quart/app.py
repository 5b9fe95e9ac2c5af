from typing import Annotated, Any

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
    # strict: "3" is refused as well as 3.5, the client must send a JSON integer.
    seats: Annotated[int, Field(ge=1, le=50, strict=True)]


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


# Quart-Schema answers a bad body with a bare 400; answer 422 with one entry per problem,
# each with its field's location, as FastAPI does.
@app.errorhandler(RequestSchemaValidationError)
async def invalid_body(error: RequestSchemaValidationError) -> tuple[dict[str, Any], int]:
    problem = error.validation_error
    if not isinstance(problem, ValidationError):  # the body was not JSON at all
        return {"detail": [{"loc": ["body"], "msg": str(problem)}]}, 422
    found = problem.errors(include_url=False, include_context=False, include_input=False)
    return {"detail": [{**item, "loc": ["body", *item["loc"]]} for item in found]}, 422
