import { expect, test } from "@playwright/test";
import { expectPinStep, latestCode, open, submitCode, submitNumber, uniqueNumber } from "./helpers";

// Refreshes the README pictures (docs/screenshots/) on every run of the suite.
const dir = `${__dirname}/../../docs/screenshots`;

test("README screenshots of each step", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 400, height: 560 }, colorScheme: "light" });
  const page = await context.newPage();
  const number = uniqueNumber();
  await open(page, "/login");
  await page.getByLabel("Phone number").fill("07400 123456");
  await page.screenshot({ path: `${dir}/1-phone-step.png` });
  await submitNumber(page, number.typed);
  await expectPinStep(page, number.e164);
  const code = await latestCode(page.request, number.e164);
  await submitCode(page, code === "000000" ? "111111" : "000000");
  await expect(page.getByRole("alert")).toContainText("attempts left");
  await page.screenshot({ path: `${dir}/2-code-step-wrong-code.png` });
  await submitCode(page, code);
  await expect(page.getByRole("heading", { name: /Hello/ })).toBeVisible();
  await page.screenshot({ path: `${dir}/3-signed-in.png` });
  await page.goto("/dev/outbox");
  await page.screenshot({ path: `${dir}/4-dev-outbox.png` });
  await context.close();
});
