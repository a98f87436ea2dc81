import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * For tests: the files below `dir` holding `text` in any form a careless write would leave (UTF-8, UTF-16LE,
 * base64, hex). Used to prove passwords never reach disk in clear text.
 */
export function filesContaining(dir: string, text: string): string[] {
  const needles = [Buffer.from(text, 'utf8'), Buffer.from(text, 'utf16le'), Buffer.from(Buffer.from(text).toString('base64')), Buffer.from(Buffer.from(text).toString('hex'))];
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else {
        const bytes = readFileSync(p);
        if (needles.some((n) => bytes.includes(n))) hits.push(relative(dir, p));
      }
    }
  };
  walk(dir);
  return hits;
}
