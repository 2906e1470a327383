#!/usr/bin/env node
// Entry point of the `wachtpost` command. The sources are TypeScript; tsx compiles them on load,
// so `npx wachtpost …` works straight from a clone without a build step.
import process from 'node:process';
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
