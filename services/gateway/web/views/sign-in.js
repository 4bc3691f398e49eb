// Signing in by emailed link, or as a guest.

import { api, attempt, h, hooks, page } from "../lib.js";

export function signInView() {
  const email = h("input", { id: "email", type: "email", autocomplete: "email", required: true });
  const devLink = h("p", { id: "dev-link" });
  const form = h("form", { onsubmit: async (event) => {
    event.preventDefault();
    const address = email.value.trim();
    const sent = await attempt(() => api("/auth/magic-link", { method: "POST", json: { email: address } }),
      "Check your inbox: we sent you a sign-in link.");
    if (sent !== undefined) showDevLink(address, devLink);
  } }, h("label", { for: "email" }, "Email address"), email, h("button", { type: "submit" }, "Email me a sign-in link"));
  const guest = h("button", { class: "secondary", id: "guest", onclick: async () => {
    if (await attempt(() => api("/auth/anonymous", { method: "POST" })) === undefined) return;
    history.replaceState(null, "", "#/");
    await hooks.start();
  } }, "Try it as a guest");
  page("Sign in", h("section", {}, form, devLink),
    h("section", {}, h("p", {}, "No account yet? Practise one interview for free."), guest));
}

export async function showDevLink(address, box) {
  // Local development only: the email went to the dev outbox, not a mailbox.
  for (let i = 0; i < 60; i++) { // up to 20 s: the email goes out in the background
    try {
      const outbox = await api(`/dev/outbox?to=${encodeURIComponent(address)}`);
      const match = outbox.messages[0]?.text.match(/https?:\/\/\S+/);
      if (match) {
        box.replaceChildren("Local development: ", h("a", { href: match[0], id: "dev-sign-in" }, "open the sign-in link"));
        return;
      }
    } catch (error) {
      if (error.status === 404) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
