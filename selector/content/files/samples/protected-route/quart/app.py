import os

from quart import Quart, request
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
# Quart-Auth signs its login cookie with the app's secret key.
app.secret_key = os.environ.get("SECRET_KEY", "dev-only-change-me")
QuartAuth(app)

# A stand-in for the users table: only password hashes are stored.
USERS = {"ada": generate_password_hash("correct horse battery staple")}


@app.post("/login")
async def login() -> tuple[dict[str, str], int]:
    data = await request.get_json(silent=True)
    if not isinstance(data, dict):
        data = {}
    username, password = str(data.get("username", "")), str(data.get("password", ""))
    stored = USERS.get(username)
    if stored is None or not check_password_hash(stored, password):
        return {"error": "wrong username or password"}, 401
    login_user(AuthUser(username))  # sets the signed cookie on this response
    return {"message": f"logged in as {username}"}, 200


@app.get("/account")
@login_required
async def account() -> dict[str, str | None]:
    return {"username": current_user.auth_id}


@app.errorhandler(Unauthorized)
async def not_logged_in(_: Unauthorized) -> tuple[dict[str, str], int]:
    return {"error": "log in first"}, 401
