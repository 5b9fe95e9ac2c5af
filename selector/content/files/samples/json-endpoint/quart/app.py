from quart import Quart, request
from werkzeug.exceptions import HTTPException

app = Quart(__name__)


@app.get("/hello")
async def hello() -> dict[str, str]:
    name = request.args.get("name", "world")
    return {"message": f"Hello, {name}!"}


@app.errorhandler(HTTPException)
async def json_error(error: HTTPException) -> tuple[dict[str, str], int]:
    # Quart's error pages are HTML, as Flask's are; an API answers its errors in JSON.
    return {"detail": error.name}, error.code or 500
