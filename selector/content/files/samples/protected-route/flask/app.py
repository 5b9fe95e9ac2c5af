import os
from dataclasses import dataclass

from flask import Flask, request
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user
from werkzeug.security import check_password_hash, generate_password_hash

app = Flask(__name__)
# Flask-Login keeps the user's id in Flask's signed session cookie, signed with this key.
app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev-only-secret")
# With no login_view set, @login_required answers 401 instead of redirecting to a login page.
login_manager = LoginManager(app)


@dataclass
class User(UserMixin):
    id: str
    password_hash: str


# Stands in for a user table; only the password hash is ever stored.
USERS = {"ada": User("ada", generate_password_hash("correct horse"))}


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return USERS.get(user_id)


@app.post("/login")
def login() -> tuple[dict[str, str], int]:
    user = USERS.get(request.form.get("username", ""))
    password = request.form.get("password", "")
    if user is None or not check_password_hash(user.password_hash, password):
        return {"error": "wrong username or password"}, 401
    login_user(user)
    return {"message": f"logged in as {user.id}"}, 200


@app.get("/account")
@login_required
def account() -> dict[str, str]:
    return {"username": current_user.id}
