import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `npm run dev` serves the portal on :5173 and proxies /graphql to `make run`'s server.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      "/graphql": { target: "http://127.0.0.1:8000", ws: true },
    },
  },
});
