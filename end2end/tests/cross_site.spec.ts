import { expect, test } from "@playwright/test";

test("a form on another site cannot start a login here (login CSRF)", async ({ page, baseURL }) => {
  // Serve an attacker page from another origin through Playwright's router.
  await page.route("http://evil.test/", (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<form id="f" method="post" action="${baseURL}/api/start_login">
               <input name="number" value="+447400123999"></form>
             <script>document.getElementById("f").submit()</script>`,
    }),
  );
  const refused = page.waitForResponse((r) => r.url().endsWith("/api/start_login"));
  await page.goto("http://evil.test/");
  expect((await refused).status()).toBe(403);

  const messages: { to: string }[] = await (await page.request.get("/dev/messages")).json();
  expect(messages.some((m) => m.to === "+447400123999")).toBe(false);
});

test("pages hydrate under the Content-Security-Policy without violations", async ({ page }) => {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  const response = await page.goto("/login");
  expect(response?.headers()["content-security-policy"]).toContain("'wasm-unsafe-eval'");
  await expect(page.locator('main[data-hydrated="true"]')).toBeVisible();
  expect(problems).toEqual([]);
});
