import os

from celery import Celery
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
def request_report() -> tuple[dict[str, str], int]:
    payload = request.get_json(silent=True)
    email = payload.get("email") if isinstance(payload, dict) else None
    if not isinstance(email, str) or "@" not in email:
        return {"error": "send JSON with an 'email'"}, 400
    # delay() only puts the job on the queue; the response does not wait for it.
    send_report.delay(email)
    return {"status": "queued", "email": email}, 202
