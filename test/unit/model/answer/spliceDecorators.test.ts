// A model's function replaces the file's together with its decorators, however many lines they take
// (the reader once started a function at its `def` when a decorator spanned lines: the old decorator
// stayed above the new one).
import { expect, it } from 'vitest';
import { spliceFragment } from '../../../../src/core/model/answer/splice';

it('a multi-line decorator is replaced with its function', () => {
  const file =
    'import x\n\n@register(\n    name="a",\n)\ndef a():\n    return 1\n\n\ndef b():\n    return 2\n';
  const r = spliceFragment(file, '@register(name="a2")\ndef a():\n    return 3\n');
  expect(r.replaced).toEqual(['a']);
  expect(r.text).toBe(
    'import x\n\n@register(name="a2")\ndef a():\n    return 3\n\n\ndef b():\n    return 2\n',
  );
});
