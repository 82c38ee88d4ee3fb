import { expect, test } from "@playwright/test";
import { expectPinStep, expectSignedIn, latestCode, open, submitCode, submitNumber } from "./helpers";

// Runs on servers of their own (playwright.config.ts) with a human check configured on
// Turnstile's documented test keys, served by the emulator's stand-ins of the widget and of
// siteverify. On 3013 an address may send one code per 10 minutes unchecked
// (CAPTCHA_IP_BURST=1/10m), so every send after the first is risky; on 3014 every send is
// checked (CAPTCHA_WHEN=always) and siteverify refuses every token (the always-fail secret).

const failing = "http://127.0.0.1:3014";

async function codesTo(page: import("@playwright/test").Page, e164: string): Promise<number> {
  const messages: { to: string }[] = await (await page.request.get("/dev/messages")).json();
  return messages.filter((m) => m.to === e164).length;
}

test.describe.configure({ mode: "serial" });

test("a send that is not risky asks for nothing", async ({ page }) => {
  await open(page, "/login");
  await submitNumber(page, "07400 500001");
  await expectPinStep(page, "+447400500001");
  await expect(page.getByRole("button", { name: /I'm a person/ })).toHaveCount(0);
});

test("a risky send asks for the check, and passing it sends the code", async ({ page }) => {
  await open(page, "/login");
  await submitNumber(page, "07400 500002");
  await expect(page.getByRole("alert")).toContainText("confirm you're a person");
  await expect(page).toHaveURL(/\/login$/);
  expect(await codesTo(page, "+447400500002")).toBe(0);

  await page.getByRole("button", { name: /I'm a person/ }).click();
  await expectPinStep(page, "+447400500002");
  await submitCode(page, await latestCode(page.request, "+447400500002"));
  await expectSignedIn(page, "+447400500002");
});

test.describe("JavaScript off", () => {
  test.use({ javaScriptEnabled: false });

  test("the page says the check needs it, and nothing is sent", async ({ page }) => {
    await open(page, "/login", false);
    await submitNumber(page, "07400 500003");
    await expect(page.getByRole("alert")).toContainText("confirm you're a person");
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByText("This check needs JavaScript")).toBeVisible();
    expect(await codesTo(page, "+447400500003")).toBe(0);
  });
});

test("a failed check sends nothing and can be tried again", async ({ page }) => {
  await open(page, `${failing}/login`);
  await submitNumber(page, "07400 500004");
  const widget = page.getByRole("button", { name: /I'm a person/ });
  await widget.click();
  await expect(page.getByRole("alert")).toContainText("That check didn't pass");
  await expect(page).toHaveURL(/\/login$/);
  await expect(widget).toBeEnabled();
  const messages: { to: string }[] = await (await page.request.get(`${failing}/dev/messages`)).json();
  expect(messages.filter((m) => m.to === "+447400500004")).toHaveLength(0);
});
