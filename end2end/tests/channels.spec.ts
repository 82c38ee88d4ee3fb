import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { expectPinStep, expectSignedIn, latestCode, open, submitCode, submitNumber, uniqueNumber } from "./helpers";

// A site sending codes by WhatsApp or text message (VONAGE_WORKFLOW=whatsapp,sms,voice), on a
// server of its own (playwright.config.ts): the person chooses, the outbox shows the channel,
// the code step says where the code went, the choice is remembered in this browser.

async function newestChannel(request: APIRequestContext, e164: string): Promise<string | undefined> {
  const response = await request.get("/dev/messages");
  const messages: { to: string; channel: string }[] = await response.json();
  return messages.find((m) => m.to === e164)?.channel;
}

async function expectNoViolations(page: Page, state: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(summary, `axe violations on ${state}`).toEqual([]);
}

for (const colorScheme of ["light", "dark"] as const) {
  test(`the choice and the code step pass axe (${colorScheme})`, async ({ browser }) => {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    const number = uniqueNumber();
    await open(page, "/login");
    await expectNoViolations(page, "phone step with a channel choice");
    await submitNumber(page, number.typed);
    await expectPinStep(page, number.e164);
    await expectNoViolations(page, "code step after WhatsApp");
    await context.close();
  });
}

for (const js of [true, false]) {
  test.describe(`JavaScript ${js ? "on" : "off"}`, () => {
    test.use({ javaScriptEnabled: js });

    test("choosing WhatsApp sends the code there and signs in", async ({ page }) => {
      const number = uniqueNumber();
      await open(page, "/login", js);
      const whatsapp = page.getByRole("radio", { name: "WhatsApp" });
      await expect(whatsapp).toBeChecked();
      await expect(page.getByRole("group", { name: "Send my code by" })).toBeVisible();
      await submitNumber(page, number.typed);
      await expectPinStep(page, number.e164);
      await expect(page.getByText("We sent a WhatsApp message with a 6-digit code")).toBeVisible();
      await expect(page.getByText(/If the message doesn't arrive, we'll call you in/)).toBeVisible();
      expect(await newestChannel(page.request, number.e164)).toBe("whatsapp");
      await submitCode(page, await latestCode(page.request, number.e164));
      await expectSignedIn(page, number.e164);
    });

    test("choosing a text message sends an SMS, and the choice is remembered", async ({ page }) => {
      const number = uniqueNumber();
      await open(page, "/login", js);
      await page.getByRole("radio", { name: "Text message" }).check();
      await submitNumber(page, number.typed);
      await expectPinStep(page, number.e164);
      await expect(page.getByText("We sent a text message with a 6-digit code")).toBeVisible();
      expect(await newestChannel(page.request, number.e164)).toBe("sms");
      await page.getByRole("button", { name: "Use a different number" }).click();
      await expect(page).toHaveURL(/\/login$/);
      await expect(page.getByRole("radio", { name: "Text message" })).toBeChecked();
    });
  });
}
