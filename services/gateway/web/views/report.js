// The feedback report and the replay of an interview.

import { api, attempt, drawer, h, unavailable } from "../lib.js";

export function chart(competencies, names) {
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
export const levelOf = (score) => Math.min(5, Math.max(1, Math.round((score + 10) / 20)));

export function anchors(criterion, score) {
  if (!criterion) return null;
  const reached = levelOf(score);
  return h("details", {}, h("summary", {}, "How this is scored"),
    h("ol", { class: "anchors" }, criterion.anchors.map((anchor, i) =>
      h("li", { class: i + 1 === reached ? "reached" : null }, i + 1 === reached ? [anchor, h("span", { class: "muted" }, " (you)")] : anchor))));
}

export function questionFeedback(q) {
  return h("section", { class: "question-feedback" },
    h("h3", {}, `${q.turn + 1}. ${q.follow_up ? "Follow-up: " : ""}${q.question}`),
    h("p", {}, h("strong", {}, `${q.score}/100 · ${q.verdict}`)),
    q.had.length ? h("p", {}, "It had: ", q.had.join("; "), ".") : null,
    q.lacked.length ? h("p", {}, "It lacked: ", q.lacked.join("; "), ".") : null,
    q.strong_answer.length ? [h("p", { class: "muted" }, "A strong answer would contain:"), h("ul", {}, q.strong_answer.map((point) => h("li", {}, point)))] : null);
}

export async function reportView(id) {
  const draw = drawer();
  const report = await attempt(() => api(`/interviews/${id}/report`));
  if (!report) return unavailable(draw);
  const rubric = Object.fromEntries((report.rubric || []).map((c) => [c.id, c]));
  const names = (criterion) => (rubric[criterion] ? rubric[criterion].name : criterion.replace("_", " "));
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

export async function replayView(id) {
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
