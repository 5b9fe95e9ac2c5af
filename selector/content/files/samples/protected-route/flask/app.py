from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, request
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user
from werkzeug.security import check_password_hash, generate_password_hash

bp = Blueprint("accounts", __name__)
login_manager = LoginManager()


@dataclass
class User(UserMixin):
    id: str
    password_hash: str


# Stands in for a user table; only the password hash is ever stored.
USERS = {"ada": User("ada", generate_password_hash("correct horse battery staple"))}


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return USERS.get(user_id)


@login_manager.unauthorized_handler
def not_logged_in() -> tuple[dict[str, str], int]:
    # Without this (or a login_view to redirect to), @login_required answers an HTML 401.
    return {"detail": "Not authenticated"}, 401


@bp.post("/login")
def login() -> tuple[dict[str, str], int]:
    user = USERS.get(request.form.get("username", ""))
    password = request.form.get("password", "")
    if user is None or not check_password_hash(user.password_hash, password):
        return {"detail": "Wrong username or password"}, 401
    login_user(user)
    return {"username": user.id}, 200


@bp.get("/account")
@login_required
def account() -> dict[str, str]:
    return {"username": current_user.id}


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    # FLASK_SECRET_KEY signs the session cookie that holds the user's id; no key, no start.
    app.config.from_prefixed_env()
    app.config.update(test_config or {})
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("Set FLASK_SECRET_KEY: it signs the session cookie.")
    login_manager.init_app(app)
    app.register_blueprint(bp)
    return app
