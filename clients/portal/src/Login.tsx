import { type FormEvent, useState } from "react";

import { execute } from "./client";
import { graphql } from "./gql";

const LoginMutation = graphql(`
  mutation PortalLogin($input: LoginInput!) {
    login(input: $input) {
      tokens {
        accessToken
        accessTokenExpiresAt
      }
      mfaChallenge
      errors {
        code
        message
      }
    }
  }
`);

function deviceId(): string {
  let id = localStorage.getItem("deviceId");
  if (!id) {
    id = crypto.randomUUID();
    localStorage.setItem("deviceId", id);
  }
  return id;
}

export function Login({ onSignedIn }: { onSignedIn: (accessToken: string) => void }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const { login } = await execute(LoginMutation, {
        input: { email, password, device: { id: deviceId(), name: navigator.userAgent.slice(0, 60) } },
      });
      if (login.tokens) onSignedIn(login.tokens.accessToken);
      else if (login.mfaChallenge) setError("This account uses two-factor sign-in, which the portal does not offer yet.");
      else setError(login.errors.map((e) => e.message).join("; ") || "Sign-in failed");
    } catch (failure) {
      setError(String(failure));
    }
  };

  return (
    <form onSubmit={submit}>
      <h2>Sign in</h2>
      <label>
        Email <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
      </label>
      <label>
        Password{" "}
        <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      </label>
      <button type="submit">Sign in</button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}
