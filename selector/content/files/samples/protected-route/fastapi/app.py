import secrets
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm
from pydantic import BaseModel

app = FastAPI()
# Declares where clients get a token; /docs shows an "Authorize" button for it.
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")

# Demo stores only: keep password hashes (e.g. with pwdlib) and expiring tokens in real use.
PASSWORDS = {"ada": "analytical-engine"}
tokens: dict[str, str] = {}


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


def refuse(detail: str) -> HTTPException:
    return HTTPException(status_code=401, detail=detail, headers={"WWW-Authenticate": "Bearer"})


@app.post("/token")
async def log_in(form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token:
    password = PASSWORDS.get(form.username)
    if password is None or not secrets.compare_digest(password.encode(), form.password.encode()):
        raise refuse("Wrong username or password")
    token = secrets.token_urlsafe(32)
    tokens[token] = form.username
    return Token(access_token=token)


async def current_user(token: Annotated[str, Depends(oauth2_scheme)]) -> str:
    if token not in tokens:
        raise refuse("Invalid or expired token")
    return tokens[token]


@app.get("/account")
async def account(username: Annotated[str, Depends(current_user)]) -> dict[str, str]:
    return {"username": username}
