import os

from quart import Quart, request
from quart.utils import run_sync
from quart_auth import (
    AuthUser,
    QuartAuth,
    Unauthorized,
    current_user,
    login_required,
    login_user,
)
from werkzeug.security import check_password_hash, generate_password_hash

app = Quart(__name__)
# Quart-Auth signs its login cookie with this key; a KeyError at start-up if it is unset.
app.secret_key = os.environ["SECRET_KEY"]
QuartAuth(app)

# A stand-in for the users table: only password hashes are stored.
USERS = {"ada": generate_password_hash("correct horse battery staple")}


@app.post("/login")
async def login() -> tuple[dict[str, str], int]:
    form = await request.form
    username, password = form.get("username", ""), form.get("password", "")
    stored = USERS.get(username)
    # A good hash is slow on purpose: check it in a thread, not on the event loop.
    if stored is None or not await run_sync(check_password_hash)(stored, password):
        return {"detail": "Wrong username or password"}, 401
    login_user(AuthUser(username))  # sets the signed cookie on this response
    return {"username": username}, 200


@app.get("/account")
@login_required
async def account() -> dict[str, str | None]:
    return {"username": current_user.auth_id}


@app.errorhandler(Unauthorized)
async def not_logged_in(_: Unauthorized) -> tuple[dict[str, str], int]:
    return {"detail": "Not authenticated"}, 401
