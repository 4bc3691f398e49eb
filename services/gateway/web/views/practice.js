// Practice: documents, the interview plan, the interview (typed, recorded or live).

import { api, attempt, drawer, h, refresh, toast, unavailable } from "../lib.js";
import { startLive } from "../live.js";

export async function homeView() {
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
export function planView(plan) {
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

export async function interviewView(id) {
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
export function liveControls(id, { question, feedback, beforeStart }) {
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
