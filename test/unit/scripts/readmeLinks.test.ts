// The README is the Marketplace page: vsce refuses to package it when a link is relative and the
// manifest names no repository (CI's package step failed twice on `docs/…` and `benchmarks/…`).
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const README = path.resolve(__dirname, '../../../README.md');

describe('README links', () => {
  it('are web addresses or anchors, never paths into the repository', () => {
    const text = readFileSync(README, 'utf8');
    const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '');
    expect(targets.length).toBeGreaterThan(0);
    expect(targets.filter((t) => !/^(https?:\/\/|mailto:|#)/.test(t))).toEqual([]);
  });
});
