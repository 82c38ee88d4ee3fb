import { expect, test } from "@playwright/test";
import { expectPinStep, expectSignedIn, open, submitCode, submitNumber } from "./helpers";

// The suite's server lists one test number (scripts/test.sh: TEST_NUMBERS), as an app-store
// reviewer or a live check would use it: the same pages as any number, nothing sent.

const typed = "07700 900123";
const e164 = "+447700900123";
const code = "246810";

for (const js of [true, false]) {
  test(`a test number signs in with its fixed code and nothing is sent (JavaScript ${js ? "on" : "off"})`, async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: js });
    const page = await context.newPage();
    const outbox = async () => ((await (await page.request.get("/dev/messages")).json()) as { to: string }[]).filter((m) => m.to === e164).length;
    const sentBefore = await outbox();
    await open(page, "/login", js);
    await submitNumber(page, typed);
    await expectPinStep(page, e164);
    await submitCode(page, "000000");
    await expect(page.getByRole("alert")).toContainText("attempts left");
    await submitCode(page, code);
    await expectSignedIn(page, e164);
    await open(page, "/account", js);
    await expect(page.getByText("Test account")).toBeVisible();
    expect(await outbox()).toBe(sentBefore);
    await context.close();
  });
}
