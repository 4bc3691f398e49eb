// Pages behind emailed links: each says what its link will do, and only its button does
// it (a mail scanner, or another site sending a browser here, changes nothing).

import { api, drawer, h, hooks, state } from "../lib.js";
import { renderNav } from "../session.js";

export async function linkInfo(token, purpose) {
  try {
    return { info: await api("/auth/link-info", { method: "POST", json: { token, purpose } }) };
  } catch (error) {
    return { error };
  }
}

export function linkProblem(error) {
  return error.status === 429 ? "Too many tries from here: wait a minute, then open the link again."
    : [400, 401].includes(error.status) ? "This link has expired or was already used. Links work once, for a short time."
      : `Something went wrong: ${error.message}. Please open the link again in a minute.`;
}

export function unusableLink(draw, title, error, next) {
  draw(title, h("section", {}, h("p", { class: "error", id: "link-problem" }, linkProblem(error)), next));
}

// Only a path of this site may follow sign-in (the fragment can be written by anyone).
export function sitePath(next) {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.includes("\\") ? next : "/";
}

export async function signInLinkView(token, next) {
  const draw = drawer();
  const { info, error } = await linkInfo(token, "sign_in");
  if (error) return unusableLink(draw, "This sign-in link cannot be used", error, h("a", { href: "#/sign-in" }, "Ask for a new sign-in link"));
  const outcome = h("p", { id: "link-outcome", role: "status" });
  const button = h("button", { id: "link-sign-in", onclick: async () => {
    button.disabled = true;
    try {
      await api("/auth/verify", { method: "POST", json: { token } });
    } catch (failure) {
      outcome.className = "error";
      outcome.textContent = linkProblem(failure);
      button.disabled = failure.status >= 500;
      return;
    }
    const target = sitePath(next);
    if (target !== "/") { location.assign(target); return; }
    history.replaceState(null, "", "#/");
    await hooks.start();
  } }, `Sign in as ${info.email}`);
  const signedInAs = state.me && !state.me.guest && state.me.email !== info.email;
  draw("Sign in to Mocky", h("section", {},
    h("p", {}, "This link signs you in to Mocky as ", h("strong", { id: "link-email" }, info.email), "."),
    state.me?.guest ? h("p", { id: "link-merge" }, "The practice you did as a guest on this browser (documents and interviews) moves into this account.") : null,
    signedInAs ? h("p", { id: "link-switch" }, `You are signed in as ${state.me.email}: continuing signs this browser in as ${info.email} instead.`) : null,
    h("p", { class: "muted" }, "Not your address, or you did not ask for this link? Close this page: nothing happens."),
    button, outcome));
}

export async function confirmEmailView(token) {
  const draw = drawer();
  const { info, error } = await linkInfo(token, "email_change");
  if (error) return unusableLink(draw, "This link cannot be used", error, h("a", { href: "#/privacy/correct" }, "Ask for a new confirmation"));
  const outcome = h("p", { id: "link-outcome", role: "status" });
  const button = h("button", { id: "confirm-email", onclick: async () => {
    button.disabled = true;
    try {
      const changed = await api("/me/email/confirm", { method: "POST", json: { token } });
      outcome.className = "";
      outcome.textContent = `Done: the account's address is now ${changed.user.email}. Every other browser signed in to it was signed out.`;
      button.remove();
      if (state.me) state.me = await api("/me").catch(() => null);
      renderNav();
    } catch (failure) {
      outcome.className = "error";
      outcome.textContent = failure.status === 409 ? "That address already belongs to another Mocky account." : linkProblem(failure);
      button.disabled = failure.status >= 500;
    }
  } }, "Confirm my new address");
  draw("Confirm your new address", h("section", {},
    h("p", {}, "Make ", h("strong", { id: "link-email" }, info.email), " the address of a Mocky account?"),
    h("p", { class: "muted" }, "Confirm only if you asked for this yourself. Every other browser signed in to the account will be signed out. If you did not ask, close this page: nothing changes."),
    button, outcome));
}

export async function cancelEmailChangeView(token) {
  const draw = drawer();
  const { info, error } = await linkInfo(token, "email_change_cancel");
  if (error) return unusableLink(draw, "This link cannot be used", error, h("a", { href: "#/sign-in" }, "Sign in"));
  const outcome = h("p", { id: "link-outcome", role: "status" });
  const button = h("button", { id: "cancel-email-change", class: "danger", onclick: async () => {
    button.disabled = true;
    try {
      const cancelled = await api("/me/email/cancel", { method: "POST", json: { token } });
      outcome.className = "";
      outcome.textContent = `${cancelled.restored ? `Done: ${info.email} is the account's address again` : "Done: the change was cancelled"}, and every browser was signed out. Sign in again with a new link.`;
      button.remove();
      state.me = null;
      renderNav();
    } catch (failure) {
      outcome.className = "error";
      outcome.textContent = failure.status === 409 ? "Your old address now belongs to another account: please reply to our email." : linkProblem(failure);
      button.disabled = failure.status >= 500;
    }
  } }, "This was not me: cancel the change");
  draw("Cancel the address change", h("section", {},
    h("p", {}, "Someone asked to move your Mocky account away from ", h("strong", { id: "link-email" }, info.email), "."),
    h("p", {}, "If it was not you, cancel it: the account keeps (or gets back) this address and every browser signed in to it is signed out, including whoever asked."),
    button, outcome));
}
