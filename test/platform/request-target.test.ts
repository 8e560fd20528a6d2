import { describe, expect, test } from "bun:test";
import { pathOf, requestTargetProblem, searchOf } from "../../src/platform/http/request-target";

// Bun's `request.url` is `http://<Host><target>` with a usable Host, else the bare target.
describe("request targets", () => {
  test("the path and query of either shape, never an exception", () => {
    expect(pathOf("http://shop.example:3000/api/products?q=1")).toBe("/api/products");
    expect(pathOf("/health/live")).toBe("/health/live");
    expect(pathOf("/health/live?x")).toBe("/health/live");
    expect(pathOf("http://a")).toBe("/");
    expect(pathOf("")).toBe("/");
    expect(searchOf("http://a/p?q=1&r=%20")).toBe("?q=1&r=%20");
    expect(searchOf("http://a/p")).toBe("");
    expect(searchOf("/p?x")).toBe("?x");
  });

  test.each([
    "http://a/x",
    "http://localhost:3000/x",
    "http://127.0.0.1:65535/x",
    "http://[::1]:8080/x",
    "http://[fe80::1]/x",
    "http://shop.example.com/x?y=1",
    "http://a",
    "http://a/caf%C3%A9?q=cr%C3%A8me%20br%C3%BBl%C3%A9e",
    "http://a/%F0%9F%9B%92",
  ])("served: %s", (url) => {
    expect(requestTargetProblem(url)).toBeUndefined();
  });

  test.each([
    ["/x", "BAD_HOST"],
    ["http://:80/x", "BAD_HOST"],
    ["http://a:/x", "BAD_HOST"],
    ["http://a:99999/x", "BAD_HOST"],
    ["http://a:123456/x", "BAD_HOST"],
    ["http://a:1x/x", "BAD_HOST"],
    ["http://%zz/x", "BAD_HOST"],
    ["http://[::1/x", "BAD_HOST"],
    ["http://[]/x", "BAD_HOST"],
    ["http://[::g]/x", "BAD_HOST"],
    ["http://a b/x", "BAD_HOST"],
    ["http://user@a/x", "BAD_HOST"],
    ["http://a/%", "INVALID_PATH"],
    ["http://a/%E0%A4%A", "INVALID_PATH"],
    ["http://a/%c0%ae%c0%ae/x", "INVALID_PATH"], // overlong UTF-8 for "."
    ["http://a/%ED%A0%80", "INVALID_PATH"], // a UTF-16 surrogate encoded in UTF-8
    ["http://a/%00", "INVALID_PATH"],
    ["http://a/x%0Ay", "INVALID_PATH"],
    ["http://a/x%7F", "INVALID_PATH"],
    ["http://a/x?q=%", "INVALID_QUERY"],
    ["http://a/x?q=%00", "INVALID_QUERY"],
    ["http://a/x?q=%FF", "INVALID_QUERY"],
  ])("refused: %s is %s", (url, code) => {
    const problem = requestTargetProblem(url);
    expect(problem?.status).toBe(400);
    expect(problem?.code).toBe(code);
  });
});
