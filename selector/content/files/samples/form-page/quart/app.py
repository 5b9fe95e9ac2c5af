import os
import secrets

from email_validator import EmailNotValidError, validate_email
from quart import Quart, abort, redirect, render_template_string, request, session, url_for
from quart.typing import ResponseReturnValue

app = Quart(__name__)
# Signs the session cookie, which is where the CSRF token lives; a KeyError if unset.
app.secret_key = os.environ["SECRET_KEY"]

PAGE = """<!doctype html>
<title>Subscribe</title>
<form method="post">
  <input type="hidden" name="csrf_token" value="{{ csrf_token }}">
  <label>Email <input type="email" name="email" value="{{ email }}" required></label>
  {% if error %}<p role="alert">{{ error }}</p>{% endif %}
  <button>Subscribe</button>
</form>"""


@app.before_request
async def check_csrf_token() -> None:
    # Quart has no CSRF protection of its own: every POST must echo the session's token.
    if request.method == "POST":
        sent = (await request.form).get("csrf_token", "")
        expected = session.get("csrf_token", "")
        if not expected or not secrets.compare_digest(sent.encode(), expected.encode()):
            abort(403, "Missing or wrong CSRF token.")


@app.route("/subscribe", methods=["GET", "POST"])
async def subscribe() -> ResponseReturnValue:
    email, error = "", None
    if request.method == "POST":
        email = (await request.form).get("email", "").strip()
        try:
            validate_email(email, check_deliverability=False)  # syntax only, no DNS lookup
        except EmailNotValidError as problem:
            error = str(problem)
        else:
            return redirect(url_for("thanks"), 303)
    token = session.setdefault("csrf_token", secrets.token_urlsafe(32))
    return await render_template_string(PAGE, csrf_token=token, email=email, error=error)


@app.get("/thanks")
async def thanks() -> str:
    return "<p>Thanks, you are subscribed.</p>"
