#!/usr/bin/env node
// lowbit's entry point: TypeScript sources run through tsx's loader (no build step to forget).
import { register } from 'tsx/esm/api';

register();
await import('../cli/index.ts');
