/** A fenced `sh` block of a Markdown file, and what the README test does with it. */
export interface ShellBlock {
  /** 1-based line of the opening fence, for messages. */
  line: number;
  code: string;
  /**
   * run: a command list that ends on its own, run in a fresh `sh -e`. server: starts something that runs
   * until Ctrl-C. skip: never run by the test (the reason is in the marker).
   */
  mode: "run" | "server" | "skip";
}

const MARKER = /^<!--\s*readme-test:\s*(\S+?)\b(.*?)-->$/;

/**
 * Every block fenced as ```sh, with the mode its marker gives: an HTML comment
 * `<!-- readme-test: skip (why) -->` or `<!-- readme-test: server -->` on the nearest non-blank line above
 * the fence. A marker with any other word is an error, so a typo cannot silently skip a block.
 */
export function shellBlocks(markdown: string): ShellBlock[] {
  const lines = markdown.split("\n");
  const blocks: ShellBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = MARKER.exec(lines[i]!.trim());
    if (marker && marker[1] !== "skip" && marker[1] !== "server") throw new Error(`README.md:${i + 1}: unknown readme-test marker "${marker[1]}"`);
    const fence = /^(`{3,})(.*)$/.exec(lines[i]!);
    if (!fence) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith(fence[1]!) && l.trim() === fence[1]);
    if (end < 0) throw new Error(`README.md:${i + 1}: unclosed code fence`);
    if (fence[2]!.trim() === "sh") {
      let above = i - 1;
      while (above >= 0 && lines[above]!.trim() === "") above--;
      const mark = above >= 0 ? MARKER.exec(lines[above]!.trim()) : null;
      blocks.push({ line: i + 1, code: lines.slice(i + 1, end).join("\n"), mode: (mark?.[1] as ShellBlock["mode"]) ?? "run" });
    }
    i = end;
  }
  return blocks;
}
