import { expect, test } from "bun:test";
import { fromMinorUnits, toInteger, toMinorUnits } from "../../web/src/state/money-input";

test("typed prices become minor units in the currency's decimals; anything else goes to the API as typed", () => {
  expect(toMinorUnits("12.50", "EUR")).toBe(1250);
  expect(toMinorUnits("12,5", "EUR")).toBe(1250);
  expect(toMinorUnits("12", "EUR")).toBe(1200);
  expect(toMinorUnits("1500", "JPY")).toBe(1500);
  expect(toMinorUnits("-1", "EUR")).toBe(-100);
  expect(toMinorUnits("12.505", "EUR")).toBe("12.505");
  expect(toMinorUnits("15.5", "JPY")).toBe("15.5");
  expect(toMinorUnits("abc", "EUR")).toBe("abc");
  expect(fromMinorUnits(1250, "EUR")).toBe("12.50");
  expect(fromMinorUnits(1500, "JPY")).toBe("1500");
  expect(toInteger(" 7 ")).toBe(7);
  expect(toInteger("7.5")).toBe("7.5");
});
