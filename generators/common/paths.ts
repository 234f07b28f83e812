import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** Absolute path inside the lowbit checkout (templates, hw, testbenches are read from there). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const repoPath = (...parts: string[]): string => join(REPO_ROOT, ...parts);
