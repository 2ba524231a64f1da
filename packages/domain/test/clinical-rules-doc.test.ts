import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RULE_IDS } from '../src/rules.ts';
import { DEFAULT_HO_WATCH_SETTINGS } from '../src/settings.ts';

const srcDir = fileURLToPath(new URL('../src/', import.meta.url));
const doc = readFileSync(
  fileURLToPath(new URL('../../../docs/clinical-rules.md', import.meta.url)),
  'utf8',
);

/** Rule ids the source hands to a reason, impact or advisory. */
function ruleIdsUsedInCode(): Set<string> {
  const used = new Set<string>();
  for (const file of readdirSync(srcDir)) {
    if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
    const text = readFileSync(`${srcDir}${file}`, 'utf8');
    const patterns = [
      /\brule:\s*'([a-z_]+)'/g,
      /\b(?:reason|advise|evidenceOf)\(\s*'([a-z_]+)'/g,
      /\?\s*'([a-z_]+)'\s*:\s*'([a-z_]+)'/g,
    ];
    for (const pattern of patterns) {
      for (const match of text.matchAll(pattern)) {
        for (const id of match.slice(1)) if (id && RULE_IDS.includes(id as never)) used.add(id);
        const first = match[1];
        if (first && !match[2]) used.add(first);
      }
    }
  }
  return used;
}

describe('docs/clinical-rules.md matches the code', () => {
  it('documents every rule id the catalog defines', () => {
    for (const id of RULE_IDS) expect(doc, `rule ${id}`).toContain(`\`${id}\``);
  });

  it('uses no rule id in code that the catalog (and so the doc) lacks', () => {
    const used = ruleIdsUsedInCode();
    expect(used.size).toBeGreaterThan(20);
    for (const id of used) {
      expect(RULE_IDS, `rule ${id} used in code`).toContain(id);
      expect(doc).toContain(`\`${id}\``);
    }
  });

  it('names every threshold setting', () => {
    for (const key of Object.keys(DEFAULT_HO_WATCH_SETTINGS)) {
      if (key === 'bradenBands') continue;
      expect(doc, `setting ${key}`).toContain(`\`${key}\``);
    }
  });
});
