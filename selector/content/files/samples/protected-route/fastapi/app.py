import os
from datetime import UTC, datetime, timedelta
from typing import Annotated

import jwt
from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm
from pwdlib import PasswordHash
from pydantic import BaseModel

# Signs the tokens; a KeyError at start-up rather than tokens anyone could forge.
SECRET_KEY = os.environ["SECRET_KEY"]
TOKEN_LIFETIME = timedelta(minutes=30)

password_hash = PasswordHash.recommended()  # Argon2
# Stands in for a user table: only password hashes are stored.
USERS = {"ada": password_hash.hash("correct horse battery staple")}
# Checked for unknown names too, so the answer takes as long and does not reveal who exists.
DUMMY_HASH = password_hash.hash("no such user")

app = FastAPI()
# Declares where clients get a token; /docs shows an "Authorize" button for it.
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="login")


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


def refuse(detail: str) -> HTTPException:
    return HTTPException(status_code=401, detail=detail, headers={"WWW-Authenticate": "Bearer"})


# A plain def: FastAPI runs it in a thread pool, so the slow hash does not stall the loop.
@app.post("/login")
def log_in(form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token:
    stored = USERS.get(form.username)
    if not password_hash.verify(form.password, stored or DUMMY_HASH) or stored is None:
        raise refuse("Wrong username or password")
    claims = {"sub": form.username, "exp": datetime.now(UTC) + TOKEN_LIFETIME}
    return Token(access_token=jwt.encode(claims, SECRET_KEY, algorithm="HS256"))


def current_user(token: Annotated[str, Depends(oauth2_scheme)]) -> str:
    try:
        claims = jwt.decode(
            token, SECRET_KEY, algorithms=["HS256"], options={"require": ["exp", "sub"]}
        )
    except jwt.InvalidTokenError:  # forged, expired or malformed
        raise refuse("Invalid or expired token") from None
    return str(claims["sub"])


@app.get("/account")
async def account(username: Annotated[str, Depends(current_user)]) -> dict[str, str]:
    return {"username": username}
