import { useState } from "react";

import { Dashboard } from "./Dashboard";
import { Login } from "./Login";

export function App() {
  const [token, setToken] = useState<string | null>(() => sessionStorage.getItem("accessToken"));

  const signIn = (accessToken: string) => {
    sessionStorage.setItem("accessToken", accessToken);
    setToken(accessToken);
  };
  const signOut = () => {
    sessionStorage.removeItem("accessToken");
    setToken(null);
  };

  return (
    <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 720, margin: "2rem auto" }}>
      <h1>Elcorp</h1>
      {token ? <Dashboard token={token} onSignOut={signOut} /> : <Login onSignedIn={signIn} />}
    </main>
  );
}
