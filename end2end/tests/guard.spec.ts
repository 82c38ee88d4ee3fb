import { expect, test } from "@playwright/test";
import { expectPinStep, open, submitNumber } from "./helpers";

// Runs on its own server in enforce mode with GUARD_MIN_SENDS=1 (playwright.config.ts): one
// unverified code to a number range is enough for the range to be judged, so the next number
// in it is refused by the SMS-pumping guard, on the phone step, with nothing sent.

async function codesTo(page: import("@playwright/test").Page, e164: string): Promise<number> {
  const messages: { to: string }[] = await (await page.request.get("/dev/messages")).json();
  return messages.filter((m) => m.to === e164).length;
}

for (const js of [true, false]) {
  test.describe(`JavaScript ${js ? "on" : "off"}`, () => {
    test.use({ javaScriptEnabled: js });

    test("a number in a paused range is told plainly and gets no code", async ({ page, browser }) => {
      // Each variant uses its own range: +44 7400 2… with JavaScript, +44 7400 3… without.
      const range = js ? "2" : "3";
      const first = { typed: `07400 ${range}00001`, e164: `+447400${range}00001` };
      const second = { typed: `07400 ${range}00002`, e164: `+447400${range}00002` };

      await open(page, "/login", js);
      await submitNumber(page, first.typed);
      await expectPinStep(page, first.e164);

      // Another visitor, another number in the same range; the first code was never typed.
      const other = await browser.newPage({ javaScriptEnabled: js });
      await open(other, "/login", js);
      await submitNumber(other, second.typed);
      await expect(other).toHaveURL(/\/login$/);
      await expect(other.getByRole("alert")).toContainText("We can't send codes to this number right now");
      await expect(other.getByRole("alert")).not.toContainText(/prefix|conversion|block/i);
      expect(await codesTo(other, second.e164)).toBe(0);
      await other.close();
    });
  });
}
