// Mocky web app (foundation slice): magic-link sign-in, the signed-in user, and the
// compliance officer's retention view. Plain ES modules, no build step.

const $ = (id) => document.getElementById(id);

async function api(path, options = {}) {
  const response = await fetch(`/api/v1${path}`, {
    credentials: "same-origin",
    headers: { "Content-Type": "application/json" },
    ...options,
  });
  const body = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const message = body?.error?.message ?? `request failed (${response.status})`;
    throw Object.assign(new Error(message), { status: response.status });
  }
  return body;
}

function say(message) {
  $("status").textContent = message;
}

async function showDevLink(email) {
  // Only exists in dev and test: follow the link without a real mailbox.
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      const outbox = await api(`/dev/outbox?to=${encodeURIComponent(email)}`);
      const latest = outbox.messages[0];
      const match = latest && latest.text.match(/https?:\/\/\S+/);
      if (match) {
        $("dev-link").href = match[0];
        $("dev-outbox").hidden = false;
        return;
      }
    } catch (error) {
      if (error.status === 404) return; // production: no dev outbox
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

async function requestLink(event) {
  event.preventDefault();
  const email = $("email").value.trim();
  try {
    await api("/auth/magic-link", { method: "POST", body: JSON.stringify({ email }) });
    say("Check your inbox: we sent you a sign-in link.");
    await showDevLink(email);
  } catch (error) {
    say(`Could not send the link: ${error.message}`);
  }
}

function cell(text) {
  const td = document.createElement("td");
  td.textContent = String(text);
  return td;
}

async function showRetention() {
  const status = await api("/compliance/retention");
  const rows = status.categories.map((c) => {
    const tr = document.createElement("tr");
    for (const value of [c.category, c.retention, c.scheduled, c.due, c.overdue, c.purged,
      c.failed]) {
      tr.append(cell(value));
    }
    return tr;
  });
  $("retention-rows").replaceChildren(...rows);
  $("compliance").hidden = false;
}

async function start() {
  $("magic-link-form").addEventListener("submit", requestLink);
  try {
    const me = await api("/me");
    $("me-email").textContent = me.email;
    $("me-roles").textContent = me.roles.join(", ");
    $("account").hidden = false;
    if (me.roles.includes("compliance_officer")) await showRetention();
  } catch (error) {
    if (error.status !== 401) say(`Something went wrong: ${error.message}`);
    $("sign-in").hidden = false;
  }
}

start();
