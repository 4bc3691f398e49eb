// Who is signed in: the navigation, signing out, and the analytics consent banner.

import { api, attempt, h, state } from "./lib.js";

export function renderNav() {
  const links = state.me ? [["#/", "Practice"], ["#/billing", "Credits"], ["#/privacy", "Privacy"]]
    : [["#/sign-in", "Sign in"]];
  if (state.me?.roles.includes("compliance_officer")) links.push(["#/compliance", "Compliance"]);
  const nav = document.getElementById("nav");
  nav.replaceChildren(...links.map(([href, label]) =>
    h("a", { href, "aria-current": location.hash === href ? "page" : false }, label)));
  if (state.me?.guest) nav.append(h("a", { href: "#/sign-in", id: "keep" }, "Sign in to keep your practice"));
  if (state.me) {
    nav.append(h("a", { href: "#/sign-out", onclick: signOut }, state.me.guest ? "Leave guest session" : "Sign out"));
  }
}

export async function signOut(event) {
  event.preventDefault();
  await attempt(() => api("/auth/sign-out", { method: "POST" }));
  state.me = null;
  renderConsentBanner();
  location.hash = "#/sign-in";
}

export function rememberConsents(answer) {
  state.consents = Object.fromEntries(answer.consents.map((c) => [c.purpose, c]));
  renderConsentBanner();
}

// Asked once, with both answers equally easy; the privacy centre changes it later.
export function renderConsentBanner() {
  const box = document.getElementById("banner");
  const undecided = state.me && state.consents && !state.consents.analytics?.version;
  if (!undecided) { box.replaceChildren(); return; }
  const choose = (granted) => async () => {
    const saved = await attempt(() => api("/privacy/consents", { method: "PUT", json: { analytics: granted } }));
    if (saved) rememberConsents(saved);
  };
  box.replaceChildren(h("section", { class: "banner", role: "region", "aria-label": "Analytics choice" },
    h("p", {}, "May we count which pages you use and for how long (your network, browser family and language; never your answers)? It helps us improve Mocky. We keep it 90 days; no advertising or third-party cookies, ever."),
    h("button", { id: "analytics-allow", onclick: choose(true) }, "Allow analytics"),
    h("button", { id: "analytics-deny", onclick: choose(false) }, "No thanks")));
}
