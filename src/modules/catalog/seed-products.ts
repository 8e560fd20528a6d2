import type { NewProduct } from "./contract";

/** A realistic starting catalog for `npm start` and the demo: varied categories, prices and stock. */
export const seedProducts: NewProduct[] = [
  { name: "Aeropress Coffee Maker", category: "kitchen", priceCents: 3995, currency: "EUR", stock: 120, description: "Immersion and pressure brewer for a clean, rich cup in under two minutes." },
  { name: "Burr Coffee Grinder", category: "kitchen", priceCents: 12900, currency: "EUR", stock: 35, description: "40 mm conical steel burrs, 30 grind settings from espresso to cold brew." },
  { name: "Cast Iron Skillet 26 cm", category: "kitchen", priceCents: 4490, currency: "EUR", stock: 60, description: "Pre-seasoned, oven safe, lasts a lifetime." },
  { name: "Chef's Knife 20 cm", category: "kitchen", priceCents: 8950, currency: "EUR", stock: 42, description: "Forged stainless steel, full tang, balanced for everyday prep." },
  { name: "Ceramic Pour-Over Dripper", category: "kitchen", priceCents: 2400, currency: "EUR", stock: 80, description: "Single-cup dripper with spiral ribs for an even extraction." },
  { name: "Mechanical Keyboard TKL", category: "electronics", priceCents: 11900, currency: "EUR", stock: 25, description: "Tenkeyless, hot-swappable switches, PBT keycaps." },
  { name: "Wireless Mouse", category: "electronics", priceCents: 4900, currency: "EUR", stock: 90, description: "Silent clicks, 70-day battery, Bluetooth and USB receiver." },
  { name: "USB-C Hub 7-in-1", category: "electronics", priceCents: 3990, currency: "EUR", stock: 150, description: "HDMI 4K, 100 W pass-through, SD and microSD, three USB-A ports." },
  { name: "Noise-Cancelling Headphones", category: "electronics", priceCents: 27900, currency: "EUR", stock: 18, description: "Over-ear, 30 hours of battery, multipoint pairing." },
  { name: "27-inch 4K Monitor", category: "electronics", priceCents: 38900, currency: "EUR", stock: 12, description: "IPS panel, USB-C with 65 W charging, height adjustable stand." },
  { name: "Trail Running Shoes", category: "sports", priceCents: 13500, currency: "EUR", stock: 48, description: "Grippy lugs, rock plate, 6 mm drop." },
  { name: "Yoga Mat 6 mm", category: "sports", priceCents: 3500, currency: "EUR", stock: 100, description: "Non-slip natural rubber with alignment lines." },
  { name: "Insulated Water Bottle 750 ml", category: "sports", priceCents: 2990, currency: "EUR", stock: 200, description: "Keeps drinks cold for 24 hours, hot for 12." },
  { name: "Adjustable Dumbbells Pair", category: "sports", priceCents: 24900, currency: "EUR", stock: 10, description: "From 2.5 to 24 kg each with a quick-select dial." },
  { name: "Cycling Helmet", category: "sports", priceCents: 8900, currency: "EUR", stock: 30, description: "MIPS protection, 18 vents, rear LED light." },
  { name: "The Pragmatic Programmer", category: "books", priceCents: 4299, currency: "EUR", stock: 55, description: "20th anniversary edition." },
  { name: "Designing Data-Intensive Applications", category: "books", priceCents: 4599, currency: "EUR", stock: 40, description: "The big ideas behind reliable, scalable and maintainable systems." },
  { name: "Refactoring", category: "books", priceCents: 4799, currency: "EUR", stock: 33, description: "Improving the design of existing code, second edition." },
  { name: "Domain-Driven Design Distilled", category: "books", priceCents: 2999, currency: "EUR", stock: 27, description: "A concise introduction to strategic and tactical design." },
  { name: "Linen Duvet Cover", category: "home", priceCents: 11900, currency: "EUR", stock: 22, description: "Stonewashed European flax, 200 x 220 cm." },
  { name: "Desk Lamp with Dimmer", category: "home", priceCents: 5900, currency: "EUR", stock: 64, description: "Warm-to-cool colour temperature, USB charging port." },
  { name: "Wool Throw Blanket", category: "home", priceCents: 7900, currency: "EUR", stock: 38, description: "Soft merino blend, 130 x 170 cm." },
  { name: "Indoor Plant Pot Set", category: "home", priceCents: 3200, currency: "EUR", stock: 75, description: "Three glazed ceramic pots with drainage saucers." },
  { name: "Scented Soy Candle", category: "home", priceCents: 1800, currency: "EUR", stock: 140, description: "Cedar and bergamot, 45 hours burn time." },
];
