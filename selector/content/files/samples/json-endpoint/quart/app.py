from quart import Quart, request

app = Quart(__name__)


@app.get("/hello")
async def hello() -> dict[str, str]:
    name = request.args.get("name", "world")
    return {"message": f"Hello, {name}!"}
