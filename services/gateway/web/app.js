// Mocky in the browser: plain ES modules, no build step. Hash routes drawn by one view
// module per screen (views/), over the shared helpers (lib.js) and who is signed in
// (session.js).

import { api, hooks, newRender, state, toast } from "./lib.js";
import { rememberConsents, renderConsentBanner, renderNav } from "./session.js";
import { signInView } from "./views/sign-in.js";
import { homeView, interviewView } from "./views/practice.js";
import { replayView, reportView } from "./views/report.js";
import { billingView } from "./views/billing.js";
import { confirmRequestView, correctView, downloadView, privacyView } from "./views/privacy.js";
import { cancelEmailChangeView, confirmEmailView, signInLinkView } from "./views/links.js";
import { complianceView } from "./views/compliance.js";

let shownAt = performance.now();

function countPageView(name) {
  const now = performance.now();
  const seconds = Math.round((now - shownAt) / 1000);
  shownAt = now;
  if (!state.me || !state.consents?.analytics?.granted) return;
  const page = ["sign-in", "interview", "report", "replay", "billing", "privacy", "compliance"].includes(name) ? name : "practice";
  // Best effort: a lost page view is not worth an error message.
  api("/usage/page-views", { method: "POST", json: { page, seconds_on_previous: Math.min(seconds, 86400) }, keepalive: true })
    .catch(() => {});
}

// Navigation: one page view counted, then the screen drawn.
async function route() {
  countPageView((location.hash || "#/").split("/")[1] || "");
  await render();
}

async function render() {
  newRender();
  const [path, query] = (location.hash || "#/").split("?");
  const [, name, id, extra] = path.split("/");
  renderNav();
  if (name === "confirm-request") { confirmRequestView(id, extra); return; }
  const linkPages = {
    "sign-in-link": () => signInLinkView(id, new URLSearchParams(query).get("next")),
    "confirm-email": () => confirmEmailView(id), "cancel-email-change": () => cancelEmailChangeView(id),
  };
  if (linkPages[name]) { await linkPages[name](); return; }
  if (!state.me && name !== "sign-in") { location.hash = "#/sign-in"; return; }
  if (state.me && !state.me.guest && name === "sign-in") { location.hash = "#/"; return; }
  const views = {
    "": homeView, "sign-in": signInView, interview: () => interviewView(id), report: () => reportView(id),
    replay: () => replayView(id), billing: billingView, compliance: complianceView,
    privacy: () => (id === "request" ? downloadView(extra) : id === "correct" ? correctView() : privacyView()),
  };
  await (views[name] || homeView)();
}

async function start() {
  try {
    state.me = await api("/me");
  } catch (error) {
    state.me = null;
    if (error.status !== 401) toast(`Something went wrong: ${error.message}`, true);
  }
  state.consents = null;
  if (state.me) {
    const answer = await api("/privacy/consents").catch(() => null);
    if (answer) rememberConsents(answer);
  }
  renderConsentBanner();
  if (state.me && !state.me.guest && location.hash === "#/sign-in") location.hash = "#/";
  await route();
}

hooks.render = render;
hooks.start = start;
window.addEventListener("hashchange", route);
start();
