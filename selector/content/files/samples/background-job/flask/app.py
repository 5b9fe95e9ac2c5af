import os
from typing import Any

from celery import Celery
from email_validator import EmailNotValidError, validate_email
from flask import Flask, request

app = Flask(__name__)
# The broker carries jobs from the web process to `celery -A app.celery worker`.
celery = Celery(__name__, broker=os.environ.get("CELERY_BROKER_URL", "amqp://localhost"))
# Nobody reads the job's return value, so skip storing it in a result backend.
celery.conf.task_ignore_result = True

# Stands in for the mail server: the worker records every report it "sends".
sent_reports: list[str] = []


@celery.task
def send_report(email: str) -> None:
    sent_reports.append(email)


@app.post("/reports")
def request_report() -> tuple[dict[str, Any], int]:
    payload = request.get_json(silent=True)
    email = payload.get("email", "") if isinstance(payload, dict) else ""
    try:
        # Syntax only: check_deliverability=True would also look the domain up in DNS.
        email = validate_email(str(email), check_deliverability=False).normalized
    except EmailNotValidError as error:
        return {"errors": {"email": [str(error)]}}, 422
    # delay() only puts the job on the queue; the response does not wait for it.
    send_report.delay(email)
    return {"status": "queued", "email": email}, 202
