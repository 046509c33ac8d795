/** Every file in examples/ runs (with the scripted model), so examples cannot rot. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const dir = join(import.meta.dirname, '../examples');
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

it('has one example per pattern', () => {
  expect(files.length).toBeGreaterThanOrEqual(7);
});

for (const file of files) {
  it(`runs examples/${file}`, async () => {
    await import(join(dir, file));
  });
}
