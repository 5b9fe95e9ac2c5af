import asyncio
from typing import Any

from email_validator import EmailNotValidError, validate_email
from quart import Quart, request

app = Quart(__name__)

# Stands in for a mail server: each address that was sent a report.
sent_reports: list[str] = []


async def send_report(email: str) -> None:
    await asyncio.sleep(0.1)  # building and mailing a report takes a while
    sent_reports.append(email)


@app.post("/reports")
async def request_report() -> tuple[dict[str, Any], int]:
    data = await request.get_json(silent=True)
    email = data.get("email", "") if isinstance(data, dict) else ""
    try:
        # Syntax only: check_deliverability=True would also look the domain up in DNS.
        email = validate_email(str(email), check_deliverability=False).normalized
    except EmailNotValidError as error:
        # Quart validates nothing itself: name the bad field, in the shape FastAPI answers.
        return {"detail": [{"loc": ["body", "email"], "msg": str(error)}]}, 422
    # Runs on the server's event loop after this response is sent, inside an app context.
    app.add_background_task(send_report, email)
    return {"status": "accepted", "email": email}, 202
