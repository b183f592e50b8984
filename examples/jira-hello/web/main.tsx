/** @jsxImportSource react */
// The entry Vite bundles: Foyer's component styles, the app's own, then the React tree.
import "@foyer/react/styles.css";
import "./app.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app.js";

// The server writes the publishable key into a <meta> tag (the CSP forbids inline scripts).
const publishableKey =
  document.querySelector<HTMLMetaElement>('meta[name="foyer-publishable-key"]')?.content ?? "";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App publishableKey={publishableKey} />
  </StrictMode>,
);
