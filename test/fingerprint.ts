// A directory's fingerprint: what the suite compares the user's cache with, before and after.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every entry under dir with its size and modification time ("absent" when there is no dir). */
export function fingerprint(dir: string): string {
  if (!existsSync(dir)) return 'absent';
  const walk = (d: string): string[] =>
    readdirSync(d).flatMap((n) => {
      const p = join(d, n);
      const s = statSync(p);
      return [`${p} ${s.size} ${s.mtimeMs}`, ...(s.isDirectory() ? walk(p) : [])];
    });
  return walk(dir).sort().join('\n');
}

