// The privacy centre: consents, requests, sessions, and the pages its emails link to.

import { api, attempt, drawer, h, page, refresh, state, toast, unavailable } from "../lib.js";
import { rememberConsents, renderConsentBanner } from "../session.js";

export async function privacyView() {
  const draw = drawer();
  const [consents, requests, sessions] = await Promise.all([attempt(() => api("/privacy/consents")),
    attempt(() => api("/privacy/requests")), attempt(() => api("/auth/sessions"))]);
  if (!consents || !requests || !sessions) return unavailable(draw);
  const labels = { analytics: "Usage analytics", ai_provider: "Send my CV, answers and voice to the third-party AI providers this site uses, for a smarter interviewer" };
  const toggles = consents.consents.map((c) => h("label", { class: "check" },
    h("input", { type: "checkbox", id: `consent-${c.purpose}`, checked: c.granted, onchange: async (e) => {
      const saved = await attempt(() => api("/privacy/consents", { method: "PUT", json: { [c.purpose]: e.target.checked } }), "Saved.");
      if (saved) rememberConsents(saved);
    } }), labels[c.purpose] || c.purpose));
  const file = (type, label, extra = {}) => h("button", { class: extra.danger ? "danger" : "secondary", id: `request-${type}`, onclick: async () => {
    if (extra.confirm && !confirm(extra.confirm)) return;
    const made = await attempt(() => api("/privacy/requests", { method: "POST", json: { type } }));
    if (!made) return;
    if (type === "erasure") { state.me = null; renderConsentBanner(); location.hash = "#/sign-in"; toast(`${label}: request filed.`); } else refresh(`${label}: request filed.`);
  } }, label);
  const rows = requests.requests.map((r) => h("tr", {}, h("td", {}, r.type), h("td", { class: "request-status" }, r.status),
    h("td", {}, `due ${new Date(r.due_at).toLocaleDateString()}`),
    h("td", {}, r.status === "completed" && r.export_ready ? h("a", { href: `#/privacy/request/${r.id}` }, "Download") : r.outcome)));
  draw("Privacy",
    h("section", {}, h("h2", {}, "Consents"), ...toggles, h("p", { class: "muted" }, "We use only essential cookies, plus analytics ones if you allow them.")),
    h("section", {}, h("h2", {}, "Your data"), file("export", "Export my data"), file("restriction", "Restrict processing"),
      state.me.guest ? null : h("a", { href: "#/privacy/correct" }, " Correct my email"),
      h("p", {}, file("erasure", "Delete my account", { danger: true, confirm: "Delete your account and everything about you? Payment records are kept for 7 years as tax law requires." }))),
    h("section", {}, h("h2", {}, "Requests"), rows.length ? h("table", { id: "requests" }, h("tbody", {}, rows)) : h("p", { class: "muted" }, "No requests.")),
    sessionsSection(sessions));
}

// Where this account is signed in: a browser left signed in somewhere can be signed out from here.
export function sessionsSection(sessions) {
  const when = (at) => new Date(at).toLocaleString();
  const rows = sessions.filter((s) => !s.revoked).map((s) => h("tr", { "data-session": s.id },
    h("td", {}, s.device || "A browser"), h("td", {}, `signed in ${when(s.created_at)}, until ${when(s.expires_at)}`),
    h("td", {}, s.current ? h("strong", {}, "this browser") : h("button", { class: "secondary", "aria-label": `Sign out there: ${s.device || "a browser"}, signed in ${when(s.created_at)}`, onclick: async () => {
      if (await attempt(() => api(`/auth/sessions/${s.id}`, { method: "DELETE" })) !== undefined) refresh("That browser is signed out.");
    } }, "Sign out there"))));
  return h("section", {}, h("h2", {}, "Where you are signed in"), h("table", { id: "sessions", class: "stack" }, h("tbody", {}, rows)));
}

// The page the confirmation email links to (no sign-in needed: the token is the proof).
// Opening it changes nothing; the button confirms, so a mail scanner cannot.
export function confirmRequestView(id, token) {
  const outcome = h("p", { id: "confirm-outcome", role: "status" });
  const button = h("button", { id: "confirm-request", onclick: async () => {
    button.disabled = true;
    try {
      const confirmed = await api(`/privacy/requests/${encodeURIComponent(id)}/confirm?token=${encodeURIComponent(token)}`, { method: "POST" });
      outcome.className = "";
      outcome.textContent = `Confirmed. We will answer your ${confirmed.type} request by ${new Date(confirmed.due_at).toLocaleDateString()}.`;
      button.remove();
    } catch (error) {
      // Not attempt(): a refused token is this page's answer, not a reason to sign in.
      outcome.className = "error";
      outcome.textContent = error.status === 409 ? "This request is already confirmed or closed: nothing more to do."
        : [401, 404].includes(error.status) ? "This link is no longer valid. If you still want the request, reply to our email or file it in the privacy centre."
          : `Something went wrong: ${error.message}. Please try again.`;
      button.disabled = error.status < 500; // a refused link stays refused; an outage may pass
    }
  } }, "Confirm my request");
  page("Confirm your privacy request", h("section", {},
    h("p", {}, "We received a privacy request for your Mocky account by email. If it was you, confirm it here."),
    h("p", { class: "muted" }, "If it was not you, close this page: nothing happens."), button, outcome));
}

export async function downloadView(id) {
  const draw = drawer();
  const request = await attempt(() => api(`/privacy/requests/${id}`));
  if (!request) return unavailable(draw);
  draw("Your export", h("section", {}, request.download_url
    ? h("a", { href: request.download_url, id: "download", download: "" }, "Download your data (ZIP, link valid for an hour)")
    : h("p", {}, `Status: ${request.status}`)));
}

export async function correctView() {
  const email = h("input", { id: "new-email", type: "email", required: true });
  page("Correct your email", h("form", { onsubmit: async (e) => {
    e.preventDefault();
    await attempt(() => api("/me", { method: "PATCH", json: { email: email.value } }), "Check the new address for a confirmation link.");
  } }, h("label", { for: "new-email" }, "New email address"), email, h("button", { type: "submit" }, "Change")));
}
