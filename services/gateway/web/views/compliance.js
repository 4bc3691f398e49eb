// The compliance console: requests, incidents, officers, usage.

import { api, attempt, drawer, field, h, refresh, state, toast, unavailable } from "../lib.js";

export async function complianceView() {
  const draw = drawer();
  const [retention, requests, incidents, audit, usage, officers] = await Promise.all([
    attempt(() => api("/compliance/retention")), attempt(() => api("/compliance/requests")),
    attempt(() => api("/compliance/incidents")), attempt(() => api("/compliance/audit-log?limit=20")),
    attempt(() => api("/compliance/usage?days=30")), attempt(() => api("/compliance/officers"))]);
  if (!retention) return unavailable(draw);
  const subject = h("input", { id: "subject", placeholder: "user id" });
  const ledger = h("div", { id: "ledger" });
  draw("Compliance",
    h("section", {}, h("h2", {}, "Retention"), h("table", { id: "retention" }, h("thead", {}, h("tr", {},
      ["Category", "Rule", "Scheduled", "Due", "Overdue", "Purged", "Failed"].map((t) => h("th", {}, t)))),
      h("tbody", {}, retention.categories.map((c) => h("tr", {}, [c.category, c.retention, c.scheduled, c.due, c.overdue, c.purged, c.failed].map((v) => h("td", {}, v)))))),
      h("button", { id: "sweep", onclick: async () => {
        const swept = await attempt(() => api("/compliance/retention/run", { method: "POST" }));
        if (swept) refresh(`Sweep: ${swept.purged} purged, ${swept.failed} failed.`);
      } }, "Run a retention sweep now")),
    requestsSection(requests.requests),
    h("section", {}, h("h2", {}, "Deletion ledger"), h("label", { for: "subject" }, "Subject"), subject,
      h("button", { onclick: async () => {
        const found = await attempt(() => api(`/compliance/deletions?subject=${encodeURIComponent(subject.value)}`));
        if (found) ledger.replaceChildren(h("ul", {}, found.entries.map((e) => h("li", {}, `${e.record} · ${e.category} · ${e.rule} · ${e.deleted_at}`))));
      } }, "Look up"), ledger),
    incidentsSection(incidents.incidents, retention.categories.map((c) => c.category)),
    usage ? usageSection(usage) : null,
    officers ? officersSection(officers) : null,
    h("section", { id: "records" }, h("h2", {}, "Records for the authority"),
      h("p", {}, h("a", { href: "/api/v1/compliance/ropa?format=csv", download: "" }, "Records of processing (Art. 30, CSV)")),
      h("p", {}, h("a", { href: "/api/v1/compliance/subprocessors?format=csv", download: "" }, "Subprocessors (CSV)"))),
    h("section", {}, h("h2", {}, `Audit log ${audit.chain_valid ? "(chain intact)" : "(CHAIN BROKEN)"}`), h("ul", { id: "audit" }, audit.entries.map((e) =>
      h("li", {}, `${e.seq} · ${e.action} · ${e.target} · ${new Date(e.at).toLocaleString()}`)))));
}

// Who may use this console: an officer adds a colleague (an existing account) or removes one.
export function officersSection(officers) {
  const email = h("input", { id: "officer-email", type: "email", required: true, maxlength: 254 });
  const rows = officers.map((o) => h("li", {}, o.email, " ", o.id === state.me.id ? h("span", { class: "muted" }, "(you)")
    : h("button", { class: "secondary", "aria-label": `Remove the role from ${o.email}`, onclick: async () => {
      if (await attempt(() => api(`/compliance/officers/${o.id}`, { method: "DELETE" }))) refresh(`${o.email} is no longer an officer.`);
    } }, "Remove the role")));
  const add = h("form", { id: "add-officer", onsubmit: async (event) => {
    event.preventDefault();
    const address = email.value.trim();
    if (await attempt(() => api("/compliance/officers", { method: "PUT", json: { email: address } }))) refresh(`${address} is now an officer.`);
  } }, ...field("Give the officer role to (an existing account's email)", email), h("button", { type: "submit" }, "Add the officer"));
  return h("section", { id: "officers" }, h("h2", {}, "Compliance officers"), h("ul", {}, rows), add);
}

export function usageSection(usage) {
  const shares = (rows) => rows.map((r) => `${r.name} ${r.views}`).join(", ") || "—";
  return h("section", { id: "usage" }, h("h2", {}, `Usage analytics (consented, last ${usage.days} days)`),
    h("p", {}, `${usage.views} page views in ${usage.visits} visits by ${usage.people} people.`),
    usage.pages.length ? h("table", { class: "stack" }, h("thead", {}, h("tr", {}, ["Screen", "Views", "Median time"].map((t) => h("th", {}, t)))),
      h("tbody", {}, usage.pages.map((p) => h("tr", {}, h("td", {}, p.page), h("td", {}, p.views), h("td", {}, p.median_seconds ? `${Math.round(p.median_seconds)} s` : "—")))))
      : h("p", { class: "muted" }, "No consented usage yet."),
    h("p", { class: "muted" }, `Browsers: ${shares(usage.browsers)}. Systems: ${shares(usage.systems)}.`));
}

export const OPEN_REQUEST = new Set(["received", "confirmed", "in_progress"]);

// The platform carries out the other types itself; these need a person.
export const MANUAL_REQUEST = new Set(["rectification", "objection"]);

export const REQUEST_TYPES = ["access", "export", "rectification", "erasure", "restriction", "objection"];

export function requestsSection(requests) {
  const act = (r, action, note, key) => async (event) => {
    event.preventDefault();
    const text = note.value.trim();
    if (!text) { toast("Write the reason or the outcome first.", true); note.focus(); return; }
    const done = await attempt(() => api(`/compliance/requests/${r.id}/${action}`, { method: "POST", json: { [key]: text } }));
    if (done) refresh(`Request ${action === "extend" ? "extended" : action === "reject" ? "rejected" : "completed"}.`);
  };
  const rows = requests.map((r, i) => {
    const note = h("input", { id: `request-note-${i}`, maxlength: 1000 });
    const actions = OPEN_REQUEST.has(r.status) ? h("form", { class: "inline", "aria-label": `Handle the ${r.type} request` },
      ...field("Reason or outcome", note),
      r.extended ? null : h("button", { class: "secondary", onclick: act(r, "extend", note, "reason") }, "Extend by two months"),
      h("button", { class: "secondary", onclick: act(r, "reject", note, "reason") }, "Reject"),
      MANUAL_REQUEST.has(r.type) && r.status !== "received" ? h("button", { onclick: act(r, "complete", note, "outcome") }, "Mark completed") : null)
      : h("span", { class: "muted" }, r.outcome || "");
    return h("tr", { "data-request": r.id }, h("td", {}, r.type), h("td", { class: "request-status" }, r.status),
      h("td", {}, `due ${new Date(r.due_at).toLocaleDateString()}${r.extended ? " (extended)" : ""}`), h("td", {}, r.source), h("td", {}, actions));
  });
  const email = h("input", { id: "emailed-address", type: "email", required: true });
  const type = h("select", { id: "emailed-type" }, REQUEST_TYPES.map((t) => h("option", { value: t }, t)));
  const details = h("input", { id: "emailed-details", maxlength: 2000 });
  const record = h("form", { id: "emailed-request", onsubmit: async (event) => {
    event.preventDefault();
    const made = await attempt(() => api("/compliance/requests", { method: "POST", json: { email: email.value.trim(), type: type.value, details: details.value } }));
    if (made) refresh("Recorded: the person confirms it through the link we emailed them.");
  } }, h("h3", {}, "Record a request received by email"), ...field("Their email address", email), ...field("Request", type),
  ...field("What they asked (optional)", details), h("button", { type: "submit" }, "Record the request"));
  return h("section", {}, h("h2", {}, "Data-subject requests"),
    rows.length ? h("table", { id: "officer-requests", class: "stack" }, h("thead", {}, h("tr", {}, ["Type", "Status", "Deadline", "Source", "Action"].map((t) => h("th", {}, t)))), h("tbody", {}, rows))
      : h("p", { class: "muted" }, "No requests."), record);
}

export function incidentsSection(incidents, categories) {
  const title = h("input", { id: "incident-title", required: true, maxlength: 200 });
  const description = h("textarea", { id: "incident-description", maxlength: 5000 });
  const boxes = categories.map((c) => h("label", { class: "check" }, h("input", { type: "checkbox", name: "incident-category", value: c }), c));
  const start = h("input", { id: "incident-start", type: "datetime-local", required: true });
  const end = h("input", { id: "incident-end", type: "datetime-local", required: true });
  const open = h("form", { id: "new-incident", onsubmit: async (event) => {
    event.preventDefault();
    const chosen = boxes.map((b) => b.firstChild).filter((b) => b.checked).map((b) => b.value);
    if (!chosen.length) { toast("Choose the data categories the incident touched.", true); return; }
    const made = await attempt(() => api("/compliance/incidents", { method: "POST", json: {
      title: title.value, description: description.value, categories: chosen,
      window_start: new Date(start.value).toISOString(), window_end: new Date(end.value).toISOString() } }));
    if (made) refresh("Incident opened: the 72-hour clock for the authority report is running.");
  } }, h("h3", {}, "Open an incident"), ...field("Title", title), ...field("What happened", description),
  h("fieldset", {}, h("legend", {}, "Data categories affected"), ...boxes),
  ...field("Exposure from", start), ...field("Exposure until", end), h("button", { type: "submit" }, "Open the incident"));
  const card = (incident, i) => {
    const subject = h("input", { id: `notify-subject-${i}`, value: `Security notice: ${incident.title}`, maxlength: 200 });
    const text = h("textarea", { id: `notify-text-${i}`, maxlength: 10000 });
    const reference = h("input", { id: `report-reference-${i}`, maxlength: 200 });
    const notify = async (event) => {
      event.preventDefault();
      const sent = await attempt(() => api(`/compliance/incidents/${incident.id}/notify`, { method: "POST", json: { subject: subject.value, text: text.value } }));
      if (sent) refresh(`Notified ${sent.notified} people (${sent.failed} failed).`);
    };
    return h("article", { class: "incident", "data-incident": incident.id },
      h("h3", {}, incident.title),
      h("p", {}, `${incident.status} · ${incident.categories.join(", ")} · ${incident.affected_users} affected, ${incident.notified_users} notified`),
      h("p", { class: incident.report_overdue ? "error" : "muted" }, incident.reported_at
        ? `Reported to the authority (${incident.report_reference}).`
        : `Authority report due ${new Date(incident.authority_deadline).toLocaleString()}${incident.report_overdue ? ": OVERDUE" : ""}`),
      h("form", { "aria-label": `Notify the people affected by ${incident.title}`, onsubmit: notify },
        ...field("Notice subject", subject), ...field("Notice text", text), h("button", { type: "submit" }, "Email the people affected")),
      incident.reported_at ? null : h("form", { "aria-label": `Report ${incident.title} to the authority`, onsubmit: async (event) => {
        event.preventDefault();
        const done = await attempt(() => api(`/compliance/incidents/${incident.id}/authority-report`, { method: "POST", json: { reference: reference.value } }));
        if (done) refresh("Authority report recorded.");
      } }, ...field("Authority's reference", reference), h("button", { type: "submit" }, "Record the authority report")));
  };
  return h("section", { id: "incidents" }, h("h2", {}, "Incidents"),
    incidents.length ? incidents.map(card) : h("p", { class: "muted" }, "No incidents."), open);
}
