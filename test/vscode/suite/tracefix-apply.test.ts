// Applying a fix in the real editor is byte-faithful: a latin-1 file (PEP 263 cookie) and a UTF-8 file
// with a BOM and CRLF line ends are fixed through Explain & Fix (scripted OpenAI server, real pytest
// verification), applied as a WorkspaceEdit and saved; the saved bytes are the original bytes with
// only the fixed line changed.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startOpenAIServer, steps, type OpenAIServer } from '../../support/openaiServer';
import {
  assertOk,
  closeAll,
  openAt,
  run,
  setSetting,
  tracefix,
  workspaceDir,
  wsUri,
} from './tracefixApi';

const LATIN1_SOURCE = Buffer.from(
  [
    '# -*- coding: latin-1 -*-',
    '"""Prix en \xe9cus."""',
    'GREETING = "Bienvenue \xe0 la boutique"',
    '',
    '',
    'def total(prices):',
    '    s = 0',
    '    for p in prices[1:]:',
    '        s += p',
    '    return s',
    '',
    '',
    'LABEL = "r\xe9sum\xe9"',
    '',
  ].join('\n'),
  'latin1',
);

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const BOM_CRLF_SOURCE = Buffer.concat([
  BOM,
  Buffer.from(
    [
      '"""Moyenne \u2014 d\u00e9j\u00e0 vue."""',
      '',
      '',
      'def mean(xs):',
      '    return sum(xs) / (len(xs) + 1)',
      '',
      '',
      'NAME = "caf\u00e9"',
      '',
    ].join('\r\n'),
    'utf8',
  ),
]);

function answer(file: string, code: string): string {
  return `The trace shows the wrong value at (2).\n\nSummary: fix ${file}\n\n\`\`\`python ${file}\n${code}\n\`\`\`\n`;
}

async function explainAndApply(
  server: OpenAIServer,
  testFile: string,
  testLine: number,
  reply: string,
): Promise<vscode.TextDocument> {
  const api = await tracefix();
  server.push(steps.answer(reply));
  await openAt(testFile, testLine);
  api.clearNotifications();
  assertOk(await run('tracefix.explainAndFix'));
  const view = api.explanation()?.view;
  assert.equal(view?.status, 'fixed', JSON.stringify(view?.rounds.map((r) => r.verdict)));
  await vscode.commands.executeCommand('tracefix.applyFix');
  const fixed = vscode.workspace.textDocuments.find((d) => d.isDirty && d.uri.scheme === 'file');
  assert.ok(
    fixed,
    `the fix was applied to an open document (${JSON.stringify(api.notifications())})`,
  );
  return fixed;
}

describe("tracefix: applying a fix keeps the file's bytes (encoding, BOM, line ends)", function () {
  this.timeout(120_000);
  let server: OpenAIServer;

  before(async () => {
    await closeAll();
    const dir = workspaceDir();
    writeFileSync(path.join(dir, 'latin_shop.py'), LATIN1_SOURCE);
    writeFileSync(
      path.join(dir, 'test_latin_shop.py'),
      'from latin_shop import total\n\n\ndef test_total():\n    assert total([1, 2, 3]) == 6\n',
    );
    writeFileSync(path.join(dir, 'bom_crlf.py'), BOM_CRLF_SOURCE);
    writeFileSync(
      path.join(dir, 'test_bom_crlf.py'),
      'from bom_crlf import mean\n\n\ndef test_mean():\n    assert mean([2, 4]) == 3\n',
    );
    server = await startOpenAIServer([]);
    await setSetting('provider', 'openai');
    await setSetting('baseUrl', server.url);
    await setSetting('model', 'test-model');
    await setSetting('pythonPath', '/usr/bin/python3');
  });
  after(async () => {
    await closeAll();
    await vscode.commands.executeCommand('tracefix.clearTrace');
    for (const key of ['provider', 'baseUrl', 'model']) await setSetting(key, undefined);
    await server.close();
  });

  it('latin-1 with a coding cookie: after apply + save only the fixed line differs, byte for byte', async () => {
    const doc = await explainAndApply(
      server,
      'test_latin_shop.py',
      5,
      answer(
        'latin_shop.py',
        'def total(prices):\n    s = 0\n    for p in prices:\n        s += p\n    return s',
      ),
    );
    assert.equal(doc.uri.fsPath, wsUri('latin_shop.py').fsPath);
    assert.equal(doc.encoding, 'iso88591', "the document is held in the file's own encoding");
    assert.ok(
      doc.getText().includes('GREETING = "Bienvenue \u00e0 la boutique"'),
      'non-ASCII text reads correctly',
    );
    assert.ok(await doc.save(), 'saved');
    const saved = readFileSync(wsUri('latin_shop.py').fsPath);
    const expected = Buffer.from(
      LATIN1_SOURCE.toString('latin1').replace('for p in prices[1:]:', 'for p in prices:'),
      'latin1',
    );
    assert.equal(saved.toString('hex'), expected.toString('hex'));
  });

  it('UTF-8 with a BOM and CRLF line ends: after apply + save the BOM and every CRLF are still there', async () => {
    const doc = await explainAndApply(
      server,
      'test_bom_crlf.py',
      5,
      answer('bom_crlf.py', 'def mean(xs):\n    return sum(xs) / len(xs)'),
    );
    assert.equal(doc.uri.fsPath, wsUri('bom_crlf.py').fsPath);
    assert.equal(doc.eol, vscode.EndOfLine.CRLF);
    assert.ok(await doc.save(), 'saved');
    const saved = readFileSync(wsUri('bom_crlf.py').fsPath);
    const expected = Buffer.concat([
      BOM,
      Buffer.from(
        BOM_CRLF_SOURCE.subarray(3)
          .toString('utf8')
          .replace('sum(xs) / (len(xs) + 1)', 'sum(xs) / len(xs)'),
        'utf8',
      ),
    ]);
    assert.equal(saved.toString('hex'), expected.toString('hex'));
  });
});
