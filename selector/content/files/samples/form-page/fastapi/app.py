import secrets
from typing import Annotated

from fastapi import Depends, FastAPI, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from jinja2 import DictLoader, Environment
from pydantic import EmailStr

PAGES = {
    "subscribe.html": """<form method="post">
  <input type="hidden" name="csrf_token" value="{{ csrf_token }}">
  <label>Email <input type="email" name="email" required></label>
  <button>Subscribe</button>
</form>""",
    "thanks.html": "<p>Thanks! Check your inbox.</p>",
}
templates = Jinja2Templates(env=Environment(loader=DictLoader(PAGES), autoescape=True))
app = FastAPI()
subscribers: list[str] = []


@app.get("/subscribe", response_class=HTMLResponse)
async def subscribe_form(request: Request) -> HTMLResponse:
    # Double-submit cookie: the same random token goes in a cookie and in the form.
    token = request.cookies.get("csrf_token") or secrets.token_urlsafe(32)
    page = templates.TemplateResponse(request, "subscribe.html", {"csrf_token": token})
    page.set_cookie("csrf_token", token, httponly=True, samesite="strict")
    return page


async def check_csrf(request: Request, csrf_token: Annotated[str, Form()] = "") -> None:
    # A forged cross-site form can send a token, but it cannot read this site's cookie.
    cookie = request.cookies.get("csrf_token", "")
    if not cookie or not secrets.compare_digest(cookie.encode(), csrf_token.encode()):
        raise HTTPException(status_code=403, detail="CSRF token missing or wrong")


@app.post("/subscribe", dependencies=[Depends(check_csrf)])
async def subscribe(email: Annotated[EmailStr, Form()]) -> RedirectResponse:
    subscribers.append(email)
    return RedirectResponse("/thanks", status_code=303)


@app.get("/thanks", response_class=HTMLResponse)
async def thanks(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(request, "thanks.html")
