
// What every screen shares: building DOM nodes (text only: h() never parses HTML), the
// API client, messages, drawing a page, and the signed-in state.

// The signed-in user (null when signed out) and their consents.
export const state = { me: null, consents: null };
// Set by app.js: how to draw the current screen again, and how to start after sign-in.
export const hooks = { render: async () => {}, start: async () => {} };

export function newRender() { renders += 1; }

export const view = () => document.getElementById("view");

export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, "");
    else if (value !== false && value != null) node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child != null) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export function toast(message, error = false) {
  const box = document.getElementById("toast");
  box.textContent = message;
  box.className = error ? "error" : "";
}

export async function api(path, options = {}) {
  const init = { credentials: "same-origin", ...options };
  if (init.json !== undefined) {
    init.body = JSON.stringify(init.json);
    init.headers = { "Content-Type": "application/json", ...(init.headers || {}) };
    delete init.json;
  }
  const response = await fetch(`/api/v1${path}`, init);
  const type = response.headers.get("content-type") || "";
  const body = response.status === 204 ? null
    : type.includes("json") ? await response.json().catch(() => null) : await response.blob();
  if (!response.ok) {
    const message = body?.error?.message ?? `request failed (${response.status})`;
    throw Object.assign(new Error(message), { status: response.status, code: body?.error?.code });
  }
  return body;
}

export async function attempt(action, done) {
  try {
    const result = await action();
    if (done) toast(done);
    return result;
  } catch (error) {
    toast(error.message, true);
    if (error.status === 401) location.hash = "#/sign-in";
    return undefined;
  }
}

export function page(title, ...content) {
  document.title = `${title} — Mocky`;
  view().replaceChildren(h("h1", {}, title), ...content.flat().filter((part) => part != null));
  view().focus();
}

// Each render counts: a screen whose data arrives after the user has moved on (or after a
// newer redraw started) is not drawn over the newer one.
export let renders = 0;

export function drawer() {
  const mine = renders;
  return (...content) => { if (mine === renders) page(...content); };
}

// A screen whose data could not be loaded: the message (in the toast) says why; the
// previous screen must not stay up under the new address as if it were this one.
export function unavailable(draw = page) {
  draw("This page could not be shown", h("section", {},
    h("p", {}, "The message above says what went wrong."), h("a", { href: "#/" }, "Back to practice")));
}

// One labelled field: the label's `for` names the input.
export function field(label, input) {
  return [h("label", { for: input.id }, label), input];
}

// After an action: the screen is drawn again first and the message shown after, so the message
// is not lost and the form someone types in next is the one on screen.
export async function refresh(message) {
  await hooks.render();
  toast(message);
}
