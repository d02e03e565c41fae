"""`elcorp serve`: uvicorn with uvloop and httptools, N workers importing the app factory."""

from typer.testing import CliRunner

from server.cli import app, uvicorn_options
from server.settings import Environment, Settings


def test_serve_runs_workers_on_uvloop_and_httptools_from_the_app_factory() -> None:
    options = uvicorn_options(
        Settings(env=Environment.TEST, host="0.0.0.0", port=9000, workers=2),
        host=None,
        port=None,
        workers=4,
    )

    assert options["app"] == "server.asgi:create_from_environment"
    assert options["factory"] is True
    assert (options["loop"], options["http"]) == ("uvloop", "httptools")
    assert (options["host"], options["port"], options["workers"]) == ("0.0.0.0", 9000, 4)


def test_workers_default_to_the_setting() -> None:
    options = uvicorn_options(
        Settings(env=Environment.TEST, workers=3), host="127.0.0.1", port=8001, workers=None
    )

    assert (options["host"], options["port"], options["workers"]) == ("127.0.0.1", 8001, 3)


def test_serve_documents_its_workers_option() -> None:
    result = CliRunner().invoke(app, ["serve", "--help"])

    assert result.exit_code == 0
    assert "--workers" in result.output
