"""TOTP (RFC 6238: 30 s, 6 digits, ±1 step) with pyotp, and its QR code with segno."""

from datetime import datetime

import pyotp
import segno

ISSUER = "Elcorp"
STEP_S = 30
VALID_WINDOW = 1


class PyOtpTotp:
    def new_secret(self) -> str:
        return pyotp.random_base32(length=32)

    def provisioning_uri(self, secret: str, account: str) -> str:
        return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=ISSUER)

    def qr_code(self, uri: str) -> str:
        return str(segno.make(uri, error="m").svg_data_uri(scale=4))

    def matching_step(self, secret: str, code: str, at: datetime) -> int | None:
        """The time step whose code this is, within ±1 step of `at`, else None."""
        if not (len(code) == 6 and code.isdigit()):
            return None
        totp = pyotp.TOTP(secret, interval=STEP_S)
        step = int(at.timestamp()) // STEP_S
        for candidate in range(step - VALID_WINDOW, step + VALID_WINDOW + 1):
            if pyotp.utils.strings_equal(totp.generate_otp(candidate), code):
                return candidate
        return None
