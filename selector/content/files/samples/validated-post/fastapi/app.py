from typing import Annotated

from fastapi import FastAPI
from pydantic import BaseModel, EmailStr, Field

app = FastAPI()


class SignupIn(BaseModel):
    email: EmailStr
    # strict: "3" is refused as well as 3.5, the client must send a JSON integer.
    seats: Annotated[int, Field(ge=1, le=50, strict=True)]


class Signup(SignupIn):
    id: int


signups: dict[int, Signup] = {}


@app.post("/signups", status_code=201)
async def create_signup(signup: SignupIn) -> Signup:
    stored = Signup(id=len(signups) + 1, **signup.model_dump())
    signups[stored.id] = stored
    return stored
