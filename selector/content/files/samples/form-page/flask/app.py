from typing import Any

from flask import Blueprint, Flask, redirect, render_template_string, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError, CSRFProtect
from markupsafe import escape
from wtforms import EmailField
from wtforms.validators import Email, InputRequired

bp = Blueprint("subscriptions", __name__)
csrf = CSRFProtect()
subscribers: list[str] = []


class SubscribeForm(FlaskForm):
    # Email() hands the check to the email-validator package, which must be installed too.
    email = EmailField("Email", validators=[InputRequired(), Email()])


PAGE = """<!doctype html>
<title>Subscribe</title>
<form method="post">
  {{ form.csrf_token }}
  {{ form.email.label }} {{ form.email() }}
  {% for error in form.email.errors %}<p class="error">{{ error }}</p>{% endfor %}
  <button type="submit">Subscribe</button>
</form>
"""


@bp.route("/subscribe", methods=["GET", "POST"])
def subscribe() -> ResponseReturnValue:
    form = SubscribeForm()
    if form.validate_on_submit():
        subscribers.append(form.email.data)
        # 303 tells the browser to GET the next page, so a reload cannot resubmit the form.
        return redirect(url_for("subscriptions.thanks"), code=303)
    return render_template_string(PAGE, form=form)


@bp.get("/thanks")
def thanks() -> str:
    return "<!doctype html><title>Thanks</title><p>Thanks for subscribing!</p>"


def csrf_refused(error: CSRFError) -> tuple[str, int]:
    # Flask-WTF's CSRFError is a 400; 403 says the request was understood and refused.
    return f"<!doctype html><title>Refused</title><p>{escape(error.description)}</p>", 403


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    # FLASK_SECRET_KEY signs the session that holds the CSRF token; no key, no start.
    app.config.from_prefixed_env()
    app.config.update(test_config or {})
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("Set FLASK_SECRET_KEY: it signs the session and its CSRF token.")
    # Checks the token on every POST in the app.
    csrf.init_app(app)
    app.register_error_handler(CSRFError, csrf_refused)
    app.register_blueprint(bp)
    return app
