"""`uvicorn --factory server.asgi:create_from_environment`: settings from the environment."""

from starlette.applications import Starlette

from server.app import create_app
from server.heap import settle_heap
from server.logging import configure_logging
from server.settings import Settings


def create_from_environment() -> Starlette:
    settings = Settings()
    configure_logging(settings.log_level, settings.log_json)
    app = create_app(settings, subgraph=settings.subgraph)
    settle_heap()
    return app
