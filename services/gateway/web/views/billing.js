// Credits: balance, products, purchases.

import { api, attempt, drawer, h, refresh, state, unavailable } from "../lib.js";

export async function billingView() {
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
      state.me.guest ? h("p", {}, "Sign in to buy credits.") : products.products.map(buy)),
    h("section", {}, h("h2", {}, "Payments"), payments.payments.length ? h("table", {}, h("tbody", {},
      payments.payments.map((p) => h("tr", {}, h("td", {}, new Date(p.paid_at).toLocaleDateString()),
        h("td", {}, `${(Number(p.amount) / 100).toFixed(2)} ${p.currency}`), h("td", {}, p.price_ids.join(", ")),
        h("td", {}, `${p.credits} credits`))))) : h("p", { class: "muted" }, "No payments yet.")));
}
