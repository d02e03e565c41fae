"""Email leaves through the outbox: handlers render messages and hand them to a mailer."""

import asyncio
import smtplib
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from email.message import EmailMessage
from urllib.parse import urlsplit

import orjson
from redis.asyncio import Redis

MAILBOX_KEY = "elcorp:mailbox"
MAILBOX_KEEP = 200


@dataclass(frozen=True)
class MailMessage:
    to: str
    subject: str
    body: str


Mailer = Callable[[MailMessage], Awaitable[None]]


class RedisMailbox:
    """Development and tests: messages kept in Redis, newest first (`elcorp mailbox`)."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def __call__(self, message: MailMessage) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.lpush(MAILBOX_KEY, orjson.dumps(asdict(message)))
            pipe.ltrim(MAILBOX_KEY, 0, MAILBOX_KEEP - 1)
            await pipe.execute()

    async def messages(self, limit: int = 20) -> list[MailMessage]:
        raw = await self._redis.lrange(MAILBOX_KEY, 0, limit - 1)
        return [MailMessage(**orjson.loads(item)) for item in raw]


class SmtpMailer:
    """`smtp://user:password@host:port` (STARTTLS) or `smtps://...` (TLS)."""

    def __init__(self, url: str, sender: str) -> None:
        self._url = urlsplit(url)
        self._sender = sender

    async def __call__(self, message: MailMessage) -> None:
        await asyncio.to_thread(self._send, message)

    def _send(self, message: MailMessage) -> None:
        email = EmailMessage()
        email["From"], email["To"], email["Subject"] = self._sender, message.to, message.subject
        email.set_content(message.body)
        secure = self._url.scheme == "smtps"
        client_class = smtplib.SMTP_SSL if secure else smtplib.SMTP
        with client_class(
            self._url.hostname or "localhost", self._url.port or 0, timeout=10
        ) as smtp:
            if not secure:
                smtp.starttls()
            if self._url.username:
                smtp.login(self._url.username, self._url.password or "")
            smtp.send_message(email)
