from fastapi import FastAPI
from pydantic import BaseModel


class Greeting(BaseModel):
    message: str


app = FastAPI()


@app.get("/hello")
async def hello(name: str = "world") -> Greeting:
    return Greeting(message=f"Hello, {name}!")
