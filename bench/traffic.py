"""GraphQL over HTTP for many virtual users at little CPU (the generator shares the cores with
the server): one aiohttp session whose keep-alive pool grows to a connection per busy user,
orjson, and each outcome sorted as it arrives. (httpx cost ~5x more CPU a request here.)"""

import asyncio
import contextlib
import re
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import orjson

from bench.recorder import Recorder
from server.trusted_documents import DEFAULT_MANIFEST, HASH_PREFIX

TIMEOUT_S = 10.0
OPERATION_NAME = re.compile(r"^\s*(?:query|mutation|subscription)\s+(\w+)")
JSON = {"content-type": "application/json"}

Data = dict[str, Any]


def trusted_hashes() -> dict[str, str]:
    """The portal's registered operations: name -> SHA-256 (hex)."""
    manifest: dict[str, str] = orjson.loads(DEFAULT_MANIFEST.read_bytes())
    named = ((OPERATION_NAME.match(text), key) for key, text in manifest.items())
    return {match[1]: key.removeprefix(HASH_PREFIX) for match, key in named if match}


def persisted(sha256_hash: str, variables: Data | None = None) -> Data:
    """A trusted document, sent by its hash only (as the portal sends them)."""
    return {
        "variables": variables or {},
        "extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256_hash}},
    }


def document(query: str, variables: Data | None = None) -> Data:
    return {"query": query, "variables": variables or {}}


class Sender:
    def __init__(self, session: aiohttp.ClientSession, base_url: str, recorder: Recorder) -> None:
        self._session = session
        self._url = f"{base_url}/graphql"
        self.recorder = recorder

    async def send(
        self,
        operation: str,
        body: Data,
        authorization: str,
        user_errors: Callable[[Data], str | None] | None = None,
    ) -> Data | None:
        """The response's data, or None when the request failed (recorded as an error);
        `user_errors` finds the code of a payload's first user error, which also counts."""
        started = time.perf_counter()
        data, error = None, None
        headers = {**JSON, "authorization": authorization}
        try:
            async with self._session.post(
                self._url, data=orjson.dumps(body), headers=headers
            ) as response:
                data, error = _outcome(response.status, await response.read())
        except TimeoutError:
            error = "timeout"
        except aiohttp.ClientError as failure:
            error = type(failure).__name__
        if data is not None and user_errors is not None:
            error = user_errors(data)
        self.recorder.record(operation, started, error)
        return data


def _outcome(status: int, content: bytes) -> tuple[Data | None, str | None]:
    if status != 200:
        return None, f"HTTP {status}"
    body = orjson.loads(content)
    if errors := body.get("errors"):
        return None, first_error_code(errors)
    data: Data = body["data"]
    return data, None


def first_error_code(errors: list[Data]) -> str:
    return str((errors[0].get("extensions") or {}).get("code") or "GraphQL error")


@contextlib.asynccontextmanager
async def sender(base_url: str, recorder: Recorder) -> AsyncIterator[Sender]:
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_S)
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        yield Sender(session, base_url, recorder)


async def pause(stop: asyncio.Event, seconds: float) -> None:
    """Think time that ends early when the run stops."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
