"""HTTP for webhooks that can only reach the public internet.

The address is checked where the connection is made: the backend resolves the host itself,
refuses it if any address is not public, and connects to the very address it checked, so a
DNS answer that changes between a check and the connection (rebinding) gains nothing. TLS
still verifies the certificate against the host name. Redirects are never followed."""

import asyncio
import socket
from collections.abc import Iterable

import httpcore
import httpx

from domain.payments.webhook_rules import allowed_address

USER_AGENT = "Elcorp-Webhooks/1.0"


async def resolve(host: str, port: int) -> list[str]:
    """Every address of the host (an IP literal is its own); none when it does not resolve."""
    try:
        found = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return []
    return list(dict.fromkeys(str(sockaddr[0]) for *_, sockaddr in found))


class DnsResolver:
    async def addresses(self, host: str, port: int) -> list[str]:
        return await resolve(host, port)


class AddressRefused(httpcore.ConnectError):
    pass


class PublicOnlyBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, inner: httpcore.AsyncNetworkBackend, *, allow_private: bool) -> None:
        self._inner = inner
        self._allow_private = allow_private

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore names it)
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await resolve(host, port)
        if not addresses:
            raise AddressRefused(f"{host} does not resolve")
        refused = [
            a for a in addresses if not allowed_address(a, allow_private=self._allow_private)
        ]
        if refused:
            raise AddressRefused(f"{host} resolves to {refused[0]}, which webhooks may not reach")
        return await self._inner.connect_tcp(
            addresses[0], port, timeout, local_address, socket_options
        )

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore names it)
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise AddressRefused("webhooks do not use unix sockets")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def webhook_client(*, allow_private: bool, timeout_s: float) -> httpx.AsyncClient:
    transport = httpx.AsyncHTTPTransport(retries=0)
    # httpx takes no network backend; its pool does (httpcore's public parameter).
    pool = transport._pool
    pool._network_backend = PublicOnlyBackend(pool._network_backend, allow_private=allow_private)
    return httpx.AsyncClient(
        transport=transport,
        timeout=httpx.Timeout(timeout_s),
        follow_redirects=False,
        trust_env=False,
        headers={"user-agent": USER_AGENT},
    )
