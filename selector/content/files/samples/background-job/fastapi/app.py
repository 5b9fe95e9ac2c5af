from fastapi import BackgroundTasks, FastAPI
from pydantic import BaseModel, EmailStr

app = FastAPI()
outbox: list[str] = []  # stands in for a mail server


class ReportRequest(BaseModel):
    email: EmailStr


def send_report(email: str) -> None:
    # The slow part: build the report and mail it. It runs after the response has gone.
    outbox.append(f"Your report is attached, {email}")


@app.post("/reports", status_code=202)
async def request_report(body: ReportRequest, tasks: BackgroundTasks) -> dict[str, str]:
    tasks.add_task(send_report, body.email)
    return {"status": "accepted", "email": body.email}
