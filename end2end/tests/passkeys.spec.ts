import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type CDPSession, type Page } from "@playwright/test";
import { expectSignedIn, open, signIn, shown } from "./helpers";

// Passkeys on a server of its own reached as http://localhost (WebAuthn refuses IP
// addresses as relying-party ids), with Chromium's virtual authenticator standing in for a
// phone's or laptop's screen lock: CTAP2, built in, resident keys, user verified.

const dir = `${__dirname}/../../docs/screenshots`;

async function addAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

async function expectNoViolations(page: Page, state: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(summary, `axe violations on ${state}`).toEqual([]);
}

/** Keeps the autofill (conditional) request from starting, so a test drives the button:
 * Chromium's virtual authenticator would otherwise answer the autofill request at once. */
async function withoutAutofill(page: Page): Promise<void> {
  await page.addInitScript(() => {
    if (window.PublicKeyCredential) {
      window.PublicKeyCredential.isConditionalMediationAvailable = async () => false;
    }
  });
}

/** How many messages the emulator has sent to `e164`. */
async function messagesTo(request: APIRequestContext, e164: string): Promise<number> {
  const response = await request.get("/dev/messages");
  expect(response.ok()).toBeTruthy();
  const messages: { to: string }[] = await response.json();
  return messages.filter((m) => m.to === e164).length;
}

/** Phone sign-in, then "Add a passkey" on the home page. */
async function signInAndAddPasskey(page: Page): Promise<{ e164: string }> {
  const number = await signIn(page);
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByRole("status")).toContainText("Passkey added");
  return number;
}

async function logOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
}

test("a passkey added after a phone sign-in signs in with no message sent", async ({ page }) => {
  await withoutAutofill(page);
  await addAuthenticator(page);
  const number = await signInAndAddPasskey(page);
  await logOut(page);
  const sent = await messagesTo(page.request, number.e164);

  await open(page, "/login?next=/account");
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  await expect(page.locator(".passkey-name")).toHaveText(/^Chrome on /);
  await expect(page.locator(".passkey .hint")).not.toContainText("Last used never");
  expect(await messagesTo(page.request, number.e164)).toBe(sent);
});

test("the phone field's autofill offers the passkey (conditional UI)", async ({ page }) => {
  await addAuthenticator(page);
  const number = await signInAndAddPasskey(page);
  await logOut(page);
  const sent = await messagesTo(page.request, number.e164);

  // The field asks the browser to list passkeys in its autofill (read from the page as
  // served: once the app runs, the autofill may sign in before the field can be inspected).
  const html = await (await page.request.get("/login")).text();
  expect(html).toMatch(/<input[^>]*id="number"[^>]*autocomplete="tel webauthn"/);
  // With a virtual authenticator Chromium answers the autofill request by itself, as if the
  // person picked the passkey under the field: no button is pressed.
  await page.goto("/login");
  await expectSignedIn(page, number.e164);
  expect(await messagesTo(page.request, number.e164)).toBe(sent);
});

test("a removed passkey is refused", async ({ page }) => {
  await withoutAutofill(page);
  await addAuthenticator(page);
  const number = await signInAndAddPasskey(page);
  await open(page, "/account");
  await expect(page.locator(".passkey")).toHaveCount(1);
  await page.getByRole("button", { name: /^Remove / }).click();
  await expect(page.getByText("No passkeys yet.")).toBeVisible();
  await logOut(page);

  await open(page, "/login");
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "isn't registered here" })).toBeVisible();
  await open(page, "/");
  await expect(page.getByRole("heading", { name: `Hello ${shown(number.e164)}` })).toHaveCount(0);
});

test("a replayed passkey answer is refused", async ({ page }) => {
  await withoutAutofill(page);
  await addAuthenticator(page);
  await signInAndAddPasskey(page);
  await logOut(page);

  let captured: string | undefined;
  await page.route("**/api/passkey_sign_in_finish", async (route) => {
    captured = route.request().postData() ?? undefined;
    await route.continue();
  });
  await open(page, "/login");
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();
  expect(captured).toBeTruthy();
  await logOut(page);

  const headers = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
  // The same answer again: its ceremony is used up.
  const again = await page.request.post("/api/passkey_sign_in_finish", { data: captured, headers });
  expect(again.status()).toBe(409);
  // And against a fresh ceremony: the signed challenge is not this one.
  const start = await page.request.post("/api/passkey_sign_in_start", { data: "", headers });
  expect(start.ok()).toBeTruthy();
  const replay = await page.request.post("/api/passkey_sign_in_finish", { data: captured, headers });
  expect(replay.status()).toBe(401);
  expect(await replay.text()).toContain("PasskeyRefused");
  await open(page, "/");
  await expect(page.getByRole("button", { name: "Log out" })).toHaveCount(0);
});

test("the home page offers a passkey until one is added here, and 'Not now' puts it off", async ({ page }) => {
  await withoutAutofill(page);
  await addAuthenticator(page);
  await signIn(page);
  const offer = page.getByText("Sign in faster next time");
  await expect(offer).toBeVisible();
  await page.getByRole("button", { name: "Not now" }).click();
  await expect(offer).toBeHidden();
  await open(page, "/");
  await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();
  await expect(offer).toBeHidden();

  // Two weeks later (the put-off date passed) it asks again; once added here, never again.
  await page.evaluate(() => localStorage.setItem("passwordless.passkey.offer_put_off_until", "0"));
  await open(page, "/");
  await expect(offer).toBeVisible();
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByRole("status")).toContainText("Passkey added");
  await open(page, "/");
  await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();
  await expect(offer).toBeHidden();
});

test("README screenshots of the passkey offer, the account page with a passkey and the passkey sign-in, all passing axe", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 400, height: 720 } });
  const page = await context.newPage();
  await withoutAutofill(page);
  await addAuthenticator(page);
  await signIn(page);
  await expect(page.getByText("Sign in faster next time")).toBeVisible();
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: `${dir}/7-passkey-offer.png` });
  await expectNoViolations(page, "home with the passkey offer");
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByRole("status")).toContainText("Passkey added");
  await open(page, "/account");
  await expect(page.locator(".passkey")).toHaveCount(1);
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: `${dir}/5-account-passkey.png` });
  await expectNoViolations(page, "account with a passkey");
  await logOut(page);
  await open(page, "/login");
  await expect(page.getByRole("button", { name: "Sign in with a passkey" })).toBeVisible();
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: `${dir}/6-login-passkey.png` });
  await expectNoViolations(page, "phone step with the passkey button");
  await context.close();
});
