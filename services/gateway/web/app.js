// Mocky in the browser: plain ES modules, no build step (nothing to install or
// commit beyond these files). Hash routes, one view function per page; every string
// from the server goes in as text (h() never parses HTML).

import { startLive } from "./live.js";

const view = () => document.getElementById("view");
let me = null;
let consents = null; // the signed-in user's consents: { analytics: {granted, version}, ... }

function h(tag, attrs = {}, ...children) {
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

function toast(message, error = false) {
  const box = document.getElementById("toast");
  box.textContent = message;
  box.className = error ? "error" : "";
}

async function api(path, options = {}) {
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

async function attempt(action, done) {
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

function page(title, ...content) {
  document.title = `${title} — Mocky`;
  view().replaceChildren(h("h1", {}, title), ...content.flat().filter((part) => part != null));
  view().focus();
}

// Each render counts: a screen whose data arrives after the user has moved on (or after a
// newer redraw started) is not drawn over the newer one.
let renders = 0;
function drawer() {
  const mine = renders;
  return (...content) => { if (mine === renders) page(...content); };
}

// A screen whose data could not be loaded: the message (in the toast) says why; the
// previous screen must not stay up under the new address as if it were this one.
function unavailable(draw = page) {
  draw("This page could not be shown", h("section", {},
    h("p", {}, "The message above says what went wrong."), h("a", { href: "#/" }, "Back to practice")));
}

function renderNav() {
  const links = me ? [["#/", "Practice"], ["#/billing", "Credits"], ["#/privacy", "Privacy"]]
    : [["#/sign-in", "Sign in"]];
  if (me?.roles.includes("compliance_officer")) links.push(["#/compliance", "Compliance"]);
  const nav = document.getElementById("nav");
  nav.replaceChildren(...links.map(([href, label]) =>
    h("a", { href, "aria-current": location.hash === href ? "page" : false }, label)));
  if (me?.guest) nav.append(h("a", { href: "#/sign-in", id: "keep" }, "Sign in to keep your practice"));
  if (me) {
    nav.append(h("a", { href: "#/sign-out", onclick: signOut }, me.guest ? "Leave guest session" : "Sign out"));
  }
}

async function signOut(event) {
  event.preventDefault();
  await attempt(() => api("/auth/sign-out", { method: "POST" }));
  me = null;
  renderConsentBanner();
  location.hash = "#/sign-in";
}

// -- sign in -----------------------------------------------------------------------------

function signInView() {
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
    await start();
  } }, "Try it as a guest");
  page("Sign in", h("section", {}, form, devLink),
    h("section", {}, h("p", {}, "No account yet? Practise one interview for free."), guest));
}

async function showDevLink(address, box) {
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

// -- practice: documents and interviews -------------------------------------------------

async function homeView() {
  const draw = drawer();
  const [docs, interviews, balance] = await Promise.all([
    attempt(() => api("/documents")), attempt(() => api("/interviews")), attempt(() => api("/billing/balance")),
  ]);
  if (!docs) return unavailable(draw);
  const kind = h("select", { id: "kind" }, h("option", { value: "cv" }, "CV"), h("option", { value: "jd" }, "Job description"));
  const file = h("input", { id: "file", type: "file", accept: ".pdf,.docx,.txt,.md", "aria-label": "Choose a CV or job description file" });
  const pasted = h("textarea", { id: "pasted", placeholder: "…or paste the text here" });
  const upload = async (body) => {
    if (await attempt(() => api("/documents", { method: "POST", ...body })) !== undefined) refresh("Uploaded.");
  };
  const drop = h("div", { class: "drop", id: "drop",
    ondragover: (e) => { e.preventDefault(); drop.classList.add("over"); },
    ondragleave: () => drop.classList.remove("over"),
    ondrop: (e) => { e.preventDefault(); drop.classList.remove("over"); sendFile(e.dataTransfer.files[0]); } },
  "Drop a PDF, DOCX, TXT or Markdown file here, or choose one: ", file);
  const sendFile = (chosen) => {
    if (!chosen) return;
    const form = new FormData();
    form.append("kind", kind.value);
    form.append("file", chosen);
    upload({ body: form });
  };
  file.addEventListener("change", () => sendFile(file.files[0]));
  const docRows = docs.documents.map((d) => h("tr", {},
    h("td", {}, d.kind.toUpperCase()), h("td", {}, d.filename),
    h("td", {}, [d.analysis.role || "—", d.analysis.family_name && d.analysis.family !== "general" ? ` (${d.analysis.family_name})` : ""].join("")),
    h("td", {}, d.analysis.skills.slice(0, 6).join(", ")),
    h("td", {}, h("button", { class: "secondary", "aria-label": `Delete ${d.filename}`, onclick: async () => {
      if (await attempt(() => api(`/documents/${d.id}`, { method: "DELETE" })) !== undefined) refresh("Deleted.");
    } }, "Delete"))));
  const pick = (k) => h("select", { id: `${k}-id` }, h("option", { value: "" }, "none"),
    docs.documents.filter((d) => d.kind === k).map((d) => h("option", { value: d.id }, d.filename)));
  const mode = h("select", { id: "mode" }, h("option", { value: "text" }, "Text"),
    h("option", { value: "coach" }, "Coach (voice, tips after each answer)"),
    h("option", { value: "live" }, "Live interview (voice, feedback at the end)"));
  const role = h("input", { id: "role", placeholder: "e.g. ICU staff nurse, account executive" });
  const cv = pick("cv");
  const jd = pick("jd");
  const preview = h("div", { id: "plan-preview", "aria-live": "polite" });
  let previewing = 0;
  const showPreview = async () => {
    const mine = ++previewing;
    if (!cv.value && !jd.value && !role.value.trim()) { preview.replaceChildren(); return; }
    const plan = await api("/interviews/preview", { method: "POST",
      json: { cv_id: cv.value, jd_id: jd.value, role: role.value } }).catch(() => null);
    if (mine !== previewing) return; // a newer choice is being read
    preview.replaceChildren(...(plan ? planView(plan).filter(Boolean) : []));
  };
  let typing = null;
  role.addEventListener("input", () => { clearTimeout(typing); typing = setTimeout(showPreview, 400); });
  cv.addEventListener("change", showPreview);
  jd.addEventListener("change", showPreview);
  const startForm = h("form", { onsubmit: async (event) => {
    event.preventDefault();
    const started = await attempt(() => api("/interviews", { method: "POST",
      json: { mode: mode.value, cv_id: cv.value, jd_id: jd.value, role: role.value } }));
    if (started) location.hash = `#/interview/${started.id}`;
  } }, h("label", { for: "mode" }, "Mode"), mode, h("label", { for: "cv-id" }, "CV"), cv,
  h("label", { for: "jd-id" }, "Job description"), jd, h("label", { for: "role" }, "Role (optional)"), role,
  preview, h("button", { type: "submit", id: "start" }, "Start the interview"));
  const past = interviews.interviews.map((i) => h("li", {},
    `${i.role} · ${i.mode} · ${i.status} `,
    i.status === "completed" ? h("a", { href: `#/report/${i.id}` }, "report") : null, " ",
    i.status === "in_progress" ? h("a", { href: `#/interview/${i.id}` }, "continue") : h("a", { href: `#/replay/${i.id}` }, "replay")));
  draw("Practice",
    h("section", {}, h("h2", {}, "Your CV and the job"), h("label", { for: "kind" }, "This is a"), kind, drop,
      h("label", { for: "pasted" }, "Paste text instead"), pasted,
      h("button", { class: "secondary", id: "paste", onclick: () => upload({ json: { kind: kind.value, text: pasted.value } }) }, "Save the pasted text"),
      docs.documents.length ? h("table", {}, h("tbody", {}, docRows)) : h("p", { class: "muted" }, "No documents yet.")),
    h("section", {}, h("h2", {}, "Start an interview"),
      h("p", { class: "muted" }, balance ? `Credits: ${balance.credits}${balance.free_interview_available ? " (your first interview is free)" : ""}` : ""),
      startForm),
    h("section", {}, h("h2", {}, "Your interviews"), past.length ? h("ul", {}, past) : h("p", { class: "muted" }, "None yet.")));
}

// What the interview will be planned from, so a misread role can be put right first.
function planView(plan) {
  const family = plan.family !== "general" ? `${plan.family_name}, ` : "";
  const items = (label, list) => list.length ? h("p", {}, label, h("ul", {}, list.slice(0, 3).map((x) => h("li", {}, x)))) : null;
  return [
    h("p", { id: "plan-summary" }, "The interview will be for ", h("strong", { id: "plan-role" }, plan.role || "the role you practise for"),
      ` (${family}${plan.seniority} level): ${plan.questions_planned} questions.`),
    items("It will ask about what the job needs and your CV does not show:", plan.requirements_to_probe.length ? plan.requirements_to_probe : plan.missing_skills),
    ...plan.notes.map((note) => h("p", { class: "muted" }, `${note[0].toUpperCase()}${note.slice(1)}.`)),
    h("p", { class: "muted" }, "Not the right job? Type the role above and this updates."),
  ];
}

async function interviewView(id) {
  const draw = drawer();
  const interview = await attempt(() => api(`/interviews/${id}`));
  if (!interview) return unavailable(draw);
  if (interview.status !== "in_progress") { location.hash = `#/report/${id}`; return; }
  const question = h("p", { class: "question", id: "question" }, interview.question);
  const feedback = h("p", { id: "feedback", class: "muted" });
  const answer = h("textarea", { id: "answer", "aria-label": "Your answer" });
  const status = h("p", { id: "voice-status", role: "status" });
  const heard = h("p", { id: "heard" });
  const show = (result) => {
    feedback.textContent = result.feedback ? `Tip: ${result.feedback}` : "";
    if (result.done) { location.hash = `#/report/${id}`; return; }
    question.textContent = result.question;
    answer.value = "";
    if (interview.mode !== "text") speak();
  };
  const send = async () => {
    const result = await attempt(() => api(`/interviews/${id}/answers`, { method: "POST", json: { text: answer.value } }));
    if (result) show(result);
  };
  const player = h("audio", { id: "question-audio", controls: true });
  let line = 0; // the user talking (or a newer line) makes an older line stay silent
  const speak = async () => {
    const mine = ++line;
    status.textContent = "Interviewer speaking…";
    status.className = "speaking";
    const audio = await attempt(() => api(`/interviews/${id}/question/audio`));
    if (!audio || mine !== line) return;
    player.src = URL.createObjectURL(audio);
    player.onended = () => {
      if (mine === line) { status.textContent = "Your turn."; status.className = ""; }
    };
    player.play().catch(() => { if (mine === line) status.textContent = "Press play to hear the question."; });
  };
  let recorder = null;
  const record = h("button", { id: "record", onclick: async () => {
    if (recorder) { recorder.stop(); return; }
    line++;
    player.pause();
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true }).catch((e) => toast(`No microphone: ${e.message}`, true));
    if (!stream) return;
    const chunks = [];
    recorder = new MediaRecorder(stream);
    recorder.ondataavailable = (e) => chunks.push(e.data);
    recorder.onstop = async () => {
      stream.getTracks().forEach((t) => t.stop());
      recorder = null;
      record.textContent = "Record my answer";
      status.textContent = "Transcribing…";
      const form = new FormData();
      form.append("audio", new Blob(chunks, { type: chunks[0]?.type || "audio/webm" }), "answer.webm");
      const result = await attempt(() => api(`/interviews/${id}/answers`, { method: "POST", body: form }));
      status.textContent = "";
      heard.textContent = result ? `You said: ${result.transcript}` : "";
      if (result) show(result);
    };
    recorder.start();
    record.textContent = "Stop recording";
    status.textContent = "Recording… you are speaking.";
    status.className = "speaking";
  } }, "Record my answer");
  const live = interview.mode === "text" ? null : liveControls(id, { question, feedback, beforeStart: () => { line++; player.pause(); status.textContent = ""; status.className = ""; } });
  const voice = interview.mode === "text" ? [] : [live, h("h2", {}, "Or one answer at a time"), player,
    h("button", { class: "secondary", onclick: speak }, "Hear the question again"), record, status, heard];
  draw(`Interview · ${interview.role}`,
    h("section", {}, h("p", { class: "muted" }, `${interview.mode} mode · question ${interview.questions_asked} of about ${interview.questions_planned}`),
      question, ...voice, h("label", { for: "answer" }, interview.mode === "text" ? "Your answer" : "Or type your answer"), answer,
      h("button", { id: "send", onclick: send }, "Send answer"),
      h("button", { class: "secondary", id: "finish", onclick: async () => {
        if (await attempt(() => api(`/interviews/${id}/finish`, { method: "POST" })) !== undefined) location.hash = `#/report/${id}`;
      } }, "Finish now"), feedback));
  if (interview.mode !== "text") speak();
}

// The hands-free conversation over the realtime socket: who is speaking, what was said,
// and a button that starts and stops it.
function liveControls(id, { question, feedback, beforeStart }) {
  const state = h("p", { id: "live-state", role: "status", "aria-live": "polite" }, "Not connected.");
  const log = h("ol", { id: "live-log", "aria-label": "Conversation so far" });
  const states = {
    listening: ["Listening: speak when you are ready.", "listening"],
    user: ["You are speaking…", "speaking"],
    thinking: ["Thinking about your answer…", ""],
    interviewer: ["Interviewer speaking (just talk to interrupt).", "interviewer"],
  };
  let session = null;
  const button = h("button", { id: "live-start", onclick: async () => {
    if (session) { session.stop(); return; }
    beforeStart();
    button.disabled = true;
    state.textContent = "Connecting…";
    try {
      session = await startLive(id, {
        onState: (name) => { [state.textContent, state.className] = states[name]; },
        onLine: (who, text) => {
          log.append(h("li", { class: who }, `${who === "you" ? "You" : "Interviewer"}: ${text}`));
          if (who === "interviewer") question.textContent = text;
        },
        onPartial: (text) => { question.textContent = text; },
        onFeedback: (text) => { feedback.textContent = `Tip: ${text}`; },
        onError: (message) => toast(message, true),
        onEnd: (reason) => {
          session = null;
          button.textContent = "Start talking";
          state.textContent = "Not connected.";
          state.className = "";
          if (reason === "completed") location.hash = `#/report/${id}`;
        },
      });
      button.textContent = "Stop talking";
    } catch (error) {
      toast(`The live interview could not start: ${error.message}`, true);
      state.textContent = "Not connected.";
    } finally {
      button.disabled = false;
    }
  } }, "Start talking");
  window.addEventListener("hashchange", () => session?.stop(), { once: true });
  return h("section", { class: "live", "aria-labelledby": "live-title" },
    h("h2", { id: "live-title" }, "Talk with the interviewer"),
    h("p", { class: "muted" }, "Hands-free: answer out loud, pause when you are done, and interrupt whenever you like."),
    button, state, log);
}

function chart(competencies, names) {
  const width = 360; // drawn at up to 480 px wide (style.css): readable on a phone too
  const row = 28;
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${row * competencies.length}`);
  svg.setAttribute("class", "chart");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", competencies.map((c) => `${names(c.competency)} ${c.score}`).join(", "));
  competencies.forEach((c, i) => {
    const label = document.createElementNS(svg.namespaceURI, "text");
    label.setAttribute("x", 0); label.setAttribute("y", i * row + 18);
    label.textContent = `${names(c.competency)} ${c.score}`;
    const bar = document.createElementNS(svg.namespaceURI, "rect");
    bar.setAttribute("x", 175); bar.setAttribute("y", i * row + 6);
    bar.setAttribute("height", 16); bar.setAttribute("width", Math.max(2, (width - 180) * c.score / 100));
    svg.append(label, bar);
  });
  return svg;
}

// The rubric level (1-5) a 0-100 score sits at: 10, 30, 50, 70, 90 are levels 1-5.
const levelOf = (score) => Math.min(5, Math.max(1, Math.round((score + 10) / 20)));

function anchors(criterion, score) {
  if (!criterion) return null;
  const reached = levelOf(score);
  return h("details", {}, h("summary", {}, "How this is scored"),
    h("ol", { class: "anchors" }, criterion.anchors.map((anchor, i) =>
      h("li", { class: i + 1 === reached ? "reached" : null }, i + 1 === reached ? [anchor, h("span", { class: "muted" }, " (you)")] : anchor))));
}

function questionFeedback(q) {
  return h("section", { class: "question-feedback" },
    h("h3", {}, `${q.turn + 1}. ${q.follow_up ? "Follow-up: " : ""}${q.question}`),
    h("p", {}, h("strong", {}, `${q.score}/100 · ${q.verdict}`)),
    q.had.length ? h("p", {}, "It had: ", q.had.join("; "), ".") : null,
    q.lacked.length ? h("p", {}, "It lacked: ", q.lacked.join("; "), ".") : null,
    q.strong_answer.length ? [h("p", { class: "muted" }, "A strong answer would contain:"), h("ul", {}, q.strong_answer.map((point) => h("li", {}, point)))] : null);
}

async function reportView(id) {
  const draw = drawer();
  const report = await attempt(() => api(`/interviews/${id}/report`));
  if (!report) return unavailable(draw);
  const rubric = Object.fromEntries((report.rubric || []).map((c) => [c.id, c]));
  const names = (id) => (rubric[id] ? rubric[id].name : id.replace("_", " "));
  const list = (title, items) => (items.length ? h("section", {}, h("h2", {}, title), h("ul", {}, items.map((item) => h("li", {}, item)))) : null);
  draw("Your feedback",
    h("section", {}, h("p", { class: "question", id: "overall" }, `Overall: ${report.overall_score}/100`), h("p", {}, report.summary), chart(report.competencies, names)),
    list("Strengths", report.strengths), list("To work on", report.improvements),
    ...report.competencies.map((c) => h("section", {}, h("h2", {}, c.summary),
      ...c.evidence.map((e) => h("blockquote", {}, `${e.positive ? "✓" : "△"} “${e.quote}” (answer ${e.turn + 1})`)),
      h("ul", {}, c.suggestions.map((s) => h("li", {}, s))), anchors(rubric[c.competency], c.score))),
    report.questions && report.questions.length ? h("section", { id: "questions" }, h("h2", {}, "Question by question"), report.questions.map(questionFeedback)) : null,
    h("section", {}, h("h2", {}, "Delivery"), h("p", {},
      report.delivery.spoken_answers ? `${report.delivery.words_per_minute} words per minute over ${report.delivery.spoken_answers} spoken answers. ` : "",
      `${report.delivery.filler_words} filler words.`), h("a", { href: `#/replay/${id}` }, "Replay the interview")),
    report.rubric_version ? h("p", { class: "muted" }, `Scored on the Mocky rubric, version ${report.rubric_version}: each criterion from 1 to 5 (10 to 90 out of 100), weighted ${(report.rubric || []).map((c) => `${c.name} ${Math.round(c.weight * 100)}%`).join(", ")}.`) : null);
}

async function replayView(id) {
  const draw = drawer();
  const replay = await attempt(() => api(`/interviews/${id}/replay`));
  if (!replay) return unavailable(draw);
  draw(`Replay · ${replay.role}`, ...replay.turns.map((t) => h("section", {},
    h("p", { class: "question" }, `${t.index + 1}. ${t.question}`),
    h("p", {}, t.answer || h("span", { class: "muted" }, "(not answered)")),
    t.audio_url ? h("audio", { controls: true, src: t.audio_url, preload: "none" }) : null,
    t.feedback ? h("p", { class: "muted" }, `Tip: ${t.feedback}`) : null,
    h("p", { class: "muted" }, t.answered_at ? `answered ${new Date(t.answered_at).toLocaleString()}` : ""))));
}

// -- credits ---------------------------------------------------------------------------

async function billingView() {
  const draw = drawer();
  const [balance, products, payments] = await Promise.all([
    attempt(() => api("/billing/balance")), attempt(() => api("/billing/products")), attempt(() => api("/billing/payments"))]);
  if (!balance) return unavailable(draw);
  const buy = (p) => h("button", { "data-price": p.price_id, onclick: async () => {
    const checkout = await attempt(() => api("/billing/checkout", { method: "POST", json: { price_id: p.price_id } }));
    if (!checkout) return;
    if (checkout.checkout_url) { location.href = checkout.checkout_url; return; }
    // Local development: no Paddle; the simulator completes the purchase.
    if (await attempt(() => api("/dev/checkout/complete", { method: "POST", json: { price_id: p.price_id } })) !== undefined) refresh("Purchase simulated.");
  } }, `Buy ${p.name} (${p.amount} ${p.currency})`);
  draw("Credits",
    h("section", {}, h("p", { class: "question", id: "credits" }, `${balance.credits} credits`),
      balance.flagged ? h("p", { class: "error" }, "A payment dispute is open on this account.") : null,
      me.guest ? h("p", {}, "Sign in to buy credits.") : products.products.map(buy)),
    h("section", {}, h("h2", {}, "Payments"), payments.payments.length ? h("table", {}, h("tbody", {},
      payments.payments.map((p) => h("tr", {}, h("td", {}, new Date(p.paid_at).toLocaleDateString()),
        h("td", {}, `${(Number(p.amount) / 100).toFixed(2)} ${p.currency}`), h("td", {}, p.price_ids.join(", ")),
        h("td", {}, `${p.credits} credits`))))) : h("p", { class: "muted" }, "No payments yet.")));
}

// -- privacy centre ---------------------------------------------------------------------

async function privacyView() {
  const draw = drawer();
  const [consents, requests, sessions] = await Promise.all([attempt(() => api("/privacy/consents")),
    attempt(() => api("/privacy/requests")), attempt(() => api("/auth/sessions"))]);
  if (!consents || !requests || !sessions) return unavailable(draw);
  const labels = { analytics: "Usage analytics", ai_provider: "Send my CV, answers and voice to the AI providers (xAI, ElevenLabs) for a smarter interviewer" };
  const toggles = consents.consents.map((c) => h("label", { class: "check" },
    h("input", { type: "checkbox", id: `consent-${c.purpose}`, checked: c.granted, onchange: async (e) => {
      const saved = await attempt(() => api("/privacy/consents", { method: "PUT", json: { [c.purpose]: e.target.checked } }), "Saved.");
      if (saved) rememberConsents(saved);
    } }), labels[c.purpose] || c.purpose));
  const file = (type, label, extra = {}) => h("button", { class: extra.danger ? "danger" : "secondary", id: `request-${type}`, onclick: async () => {
    if (extra.confirm && !confirm(extra.confirm)) return;
    const made = await attempt(() => api("/privacy/requests", { method: "POST", json: { type } }));
    if (!made) return;
    if (type === "erasure") { me = null; renderConsentBanner(); location.hash = "#/sign-in"; toast(`${label}: request filed.`); } else refresh(`${label}: request filed.`);
  } }, label);
  const rows = requests.requests.map((r) => h("tr", {}, h("td", {}, r.type), h("td", { class: "request-status" }, r.status),
    h("td", {}, `due ${new Date(r.due_at).toLocaleDateString()}`),
    h("td", {}, r.status === "completed" && r.export_ready ? h("a", { href: `#/privacy/request/${r.id}` }, "Download") : r.outcome)));
  draw("Privacy",
    h("section", {}, h("h2", {}, "Consents"), ...toggles, h("p", { class: "muted" }, "We use only essential cookies, plus analytics ones if you allow them.")),
    h("section", {}, h("h2", {}, "Your data"), file("export", "Export my data"), file("restriction", "Restrict processing"),
      me.guest ? null : h("a", { href: "#/privacy/correct" }, " Correct my email"),
      h("p", {}, file("erasure", "Delete my account", { danger: true, confirm: "Delete your account and everything about you? Payment records are kept for 7 years as tax law requires." }))),
    h("section", {}, h("h2", {}, "Requests"), rows.length ? h("table", { id: "requests" }, h("tbody", {}, rows)) : h("p", { class: "muted" }, "No requests.")),
    sessionsSection(sessions));
}

// Where this account is signed in: a browser left signed in somewhere can be signed out from here.
function sessionsSection(sessions) {
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
function confirmRequestView(id, token) {
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

// -- pages behind emailed links ---------------------------------------------------------
// Each says what its link will do, and only its button does it: opening a link (a mail
// scanner, or another site sending a browser here) signs nobody in and changes nothing.

async function linkInfo(token, purpose) {
  try {
    return { info: await api("/auth/link-info", { method: "POST", json: { token, purpose } }) };
  } catch (error) {
    return { error };
  }
}

function linkProblem(error) {
  return error.status === 429 ? "Too many tries from here: wait a minute, then open the link again."
    : [400, 401].includes(error.status) ? "This link has expired or was already used. Links work once, for a short time."
      : `Something went wrong: ${error.message}. Please open the link again in a minute.`;
}

function unusableLink(draw, title, error, next) {
  draw(title, h("section", {}, h("p", { class: "error", id: "link-problem" }, linkProblem(error)), next));
}

// Only a path of this site may follow sign-in (the fragment can be written by anyone).
function sitePath(next) {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.includes("\\") ? next : "/";
}

async function signInLinkView(token, next) {
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
    await start();
  } }, `Sign in as ${info.email}`);
  const signedInAs = me && !me.guest && me.email !== info.email;
  draw("Sign in to Mocky", h("section", {},
    h("p", {}, "This link signs you in to Mocky as ", h("strong", { id: "link-email" }, info.email), "."),
    me?.guest ? h("p", { id: "link-merge" }, "The practice you did as a guest on this browser (documents and interviews) moves into this account.") : null,
    signedInAs ? h("p", { id: "link-switch" }, `You are signed in as ${me.email}: continuing signs this browser in as ${info.email} instead.`) : null,
    h("p", { class: "muted" }, "Not your address, or you did not ask for this link? Close this page: nothing happens."),
    button, outcome));
}

async function confirmEmailView(token) {
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
      if (me) me = await api("/me").catch(() => null);
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

async function cancelEmailChangeView(token) {
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
      me = null;
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

async function downloadView(id) {
  const draw = drawer();
  const request = await attempt(() => api(`/privacy/requests/${id}`));
  if (!request) return unavailable(draw);
  draw("Your export", h("section", {}, request.download_url
    ? h("a", { href: request.download_url, id: "download", download: "" }, "Download your data (ZIP, link valid for an hour)")
    : h("p", {}, `Status: ${request.status}`)));
}

async function correctView() {
  const email = h("input", { id: "new-email", type: "email", required: true });
  page("Correct your email", h("form", { onsubmit: async (e) => {
    e.preventDefault();
    await attempt(() => api("/me", { method: "PATCH", json: { email: email.value } }), "Check the new address for a confirmation link.");
  } }, h("label", { for: "new-email" }, "New email address"), email, h("button", { type: "submit" }, "Change")));
}

// -- compliance console -----------------------------------------------------------------

async function complianceView() {
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
function officersSection(officers) {
  const email = h("input", { id: "officer-email", type: "email", required: true, maxlength: 254 });
  const rows = officers.map((o) => h("li", {}, o.email, " ", o.id === me.id ? h("span", { class: "muted" }, "(you)")
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

function usageSection(usage) {
  const shares = (rows) => rows.map((r) => `${r.name} ${r.views}`).join(", ") || "—";
  return h("section", { id: "usage" }, h("h2", {}, `Usage analytics (consented, last ${usage.days} days)`),
    h("p", {}, `${usage.views} page views in ${usage.visits} visits by ${usage.people} people.`),
    usage.pages.length ? h("table", { class: "stack" }, h("thead", {}, h("tr", {}, ["Screen", "Views", "Median time"].map((t) => h("th", {}, t)))),
      h("tbody", {}, usage.pages.map((p) => h("tr", {}, h("td", {}, p.page), h("td", {}, p.views), h("td", {}, p.median_seconds ? `${Math.round(p.median_seconds)} s` : "—")))))
      : h("p", { class: "muted" }, "No consented usage yet."),
    h("p", { class: "muted" }, `Browsers: ${shares(usage.browsers)}. Systems: ${shares(usage.systems)}.`));
}

// One labelled field: the label's `for` names the input.
function field(label, input) {
  return [h("label", { for: input.id }, label), input];
}

const OPEN_REQUEST = new Set(["received", "confirmed", "in_progress"]);
// The platform carries out the other types itself; these need a person.
const MANUAL_REQUEST = new Set(["rectification", "objection"]);
const REQUEST_TYPES = ["access", "export", "rectification", "erasure", "restriction", "objection"];

function requestsSection(requests) {
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

function incidentsSection(incidents, categories) {
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

// -- routing ----------------------------------------------------------------------------

// -- analytics, only with consent ------------------------------------------------------

function rememberConsents(answer) {
  consents = Object.fromEntries(answer.consents.map((c) => [c.purpose, c]));
  renderConsentBanner();
}

// Asked once, with both answers equally easy; the privacy centre changes it later.
function renderConsentBanner() {
  const box = document.getElementById("banner");
  const undecided = me && consents && !consents.analytics?.version;
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

let shownAt = performance.now();
function countPageView(name) {
  const now = performance.now();
  const seconds = Math.round((now - shownAt) / 1000);
  shownAt = now;
  if (!me || !consents?.analytics?.granted) return;
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

// After an action: the screen is drawn again first and the message shown after, so the message
// is not lost and the form someone types in next is the one on screen.
async function refresh(message) {
  await render();
  toast(message);
}

async function render() {
  renders += 1;
  const [path, query] = (location.hash || "#/").split("?");
  const [, name, id, extra] = path.split("/");
  renderNav();
  if (name === "confirm-request") { confirmRequestView(id, extra); return; }
  const linkPages = {
    "sign-in-link": () => signInLinkView(id, new URLSearchParams(query).get("next")),
    "confirm-email": () => confirmEmailView(id), "cancel-email-change": () => cancelEmailChangeView(id),
  };
  if (linkPages[name]) { await linkPages[name](); return; }
  if (!me && name !== "sign-in") { location.hash = "#/sign-in"; return; }
  if (me && !me.guest && name === "sign-in") { location.hash = "#/"; return; }
  const views = {
    "": homeView, "sign-in": signInView, interview: () => interviewView(id), report: () => reportView(id),
    replay: () => replayView(id), billing: billingView, compliance: complianceView,
    privacy: () => (id === "request" ? downloadView(extra) : id === "correct" ? correctView() : privacyView()),
  };
  await (views[name] || homeView)();
}

async function start() {
  try {
    me = await api("/me");
  } catch (error) {
    me = null;
    if (error.status !== 401) toast(`Something went wrong: ${error.message}`, true);
  }
  consents = null;
  if (me) {
    const answer = await api("/privacy/consents").catch(() => null);
    if (answer) rememberConsents(answer);
  }
  renderConsentBanner();
  if (me && !me.guest && location.hash === "#/sign-in") location.hash = "#/";
  await route();
}

window.addEventListener("hashchange", route);
start();
