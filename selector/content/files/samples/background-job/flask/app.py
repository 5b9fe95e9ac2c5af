import os
from typing import Any

from celery import Celery, shared_task
from email_validator import EmailNotValidError, validate_email
from flask import Blueprint, Flask, request

bp = Blueprint("reports", __name__)

# Stands in for the mail server: the worker records every report it "sends".
sent_reports: list[str] = []


@shared_task(ignore_result=True)  # nobody reads its return value: no result backend needed
def send_report(email: str) -> None:
    sent_reports.append(email)


@bp.post("/reports")
def request_report() -> tuple[dict[str, Any], int]:
    payload = request.get_json(silent=True)
    email = payload.get("email", "") if isinstance(payload, dict) else ""
    try:
        # Syntax only: check_deliverability=True would also look the domain up in DNS.
        email = validate_email(str(email), check_deliverability=False).normalized
    except EmailNotValidError as error:
        return {"detail": [{"loc": ["body", "email"], "msg": str(error)}]}, 422
    # delay() only puts the job on the queue; the response does not wait for it.
    send_report.delay(email)
    return {"status": "accepted", "email": email}, 202


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    # The broker carries jobs to the workers; a worker module does, as Flask's Celery guide
    # shows, celery_app = create_app().extensions["celery"] (then: celery -A that_module worker).
    app.config["CELERY"] = {"broker_url": os.environ.get("CELERY_BROKER_URL", "amqp://localhost")}
    app.config.update(test_config or {})
    celery = Celery(app.name)
    celery.config_from_object(app.config["CELERY"])
    celery.set_default()  # the app @shared_task sends to
    app.extensions["celery"] = celery
    app.register_blueprint(bp)
    return app
