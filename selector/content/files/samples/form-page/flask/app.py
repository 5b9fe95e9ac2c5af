import os

from flask import Flask, redirect, render_template_string, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect
from wtforms import EmailField
from wtforms.validators import Email, InputRequired

app = Flask(__name__)
# The CSRF token is signed with this key; set a real secret outside development.
app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev-only-secret")
# Checks the token on every POST in the app and answers 400 when it is missing or wrong.
CSRFProtect(app)

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


@app.route("/subscribe", methods=["GET", "POST"])
def subscribe() -> ResponseReturnValue:
    form = SubscribeForm()
    if form.validate_on_submit():
        subscribers.append(form.email.data)
        # 303 tells the browser to GET the next page, so a reload cannot resubmit the form.
        return redirect(url_for("thanks"), code=303)
    return render_template_string(PAGE, form=form)


@app.get("/thanks")
def thanks() -> str:
    return "<!doctype html><title>Thanks</title><p>Thanks for subscribing!</p>"
