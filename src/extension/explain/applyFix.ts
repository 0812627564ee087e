// Applying and previewing a round's patch in the editor. Applying is ONE WorkspaceEdit of the minimal
// hunks (one undo step), refused as a whole when any file no longer holds the text that was traced.
// Byte-faithful: the core patches the file's bytes (only changed lines re-encoded); the document is
// (re)opened in the file's own encoding (PEP 263 cookie, BOM) and the edit is the difference between
// its text and those bytes decoded, so saving writes the file's encoding and line ends. An edit VS
// Code could not save byte for byte is refused rather than applied.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import type { FilePatch } from '../../core/fix';
import { changedSinceTrace } from '../../core/patch/guard';
import { computeHunks } from '../../core/patch/hunks';
import { patchSourceBytes, textMatchesBase } from '../../core/patch/patchBytes';
import {
  decodeAs,
  describeEncoding,
  detectSourceEncoding,
  encodeAs,
  encodingFromVscode,
} from '../../core/source/encoding';
import { fixUri } from './documents';
import { hunkReplacements, type TextReplacement } from './hunkEdits';
import { fixSummary, verificationLabel, type FixSession } from './session';
import type { FixRound } from '../../core/fix';

export function fileUriOf(session: FixSession, f: FilePatch): vscode.Uri {
  return vscode.Uri.file(path.join(session.root, ...f.path.split('/')));
}

/** The open (or opened) document of a patched file; a file that does not exist is refused. */
async function documentOf(session: FixSession, f: FilePatch): Promise<vscode.TextDocument> {
  try {
    return await vscode.workspace.openTextDocument(fileUriOf(session, f));
  } catch {
    throw new UserError(
      'file-not-found',
      `${f.path} does not exist, so the fix was not applied.`,
      'Run Explain & Fix again.',
    );
  }
}

/** Is the document still the text the patch was made against (the traced text)? */
export function documentUnchanged(doc: vscode.TextDocument, f: FilePatch): boolean {
  return textMatchesBase(doc.getText(), encodingFromVscode(doc.encoding), f.oldText);
}

/**
 * The replacements that turn `f`'s document into the fixed file. Reopens a clean document in the
 * file's encoding when VS Code guessed another one (saving it would rewrite every non-ASCII byte).
 */
export async function fixReplacements(
  session: FixSession,
  f: FilePatch,
): Promise<{ doc: vscode.TextDocument; replacements: TextReplacement[] }> {
  const uri = fileUriOf(session, f);
  let doc = await documentOf(session, f);
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch {
    throw new UserError(
      'file-not-found',
      `${f.path} could not be read, so the fix was not applied.`,
      'Run Explain & Fix again.',
    );
  }
  const encoding = detectSourceEncoding(bytes);
  if (encoding.vscode && doc.encoding !== encoding.vscode && !doc.isDirty) {
    doc = await vscode.workspace.openTextDocument(uri, { encoding: encoding.vscode });
  }
  if (!documentUnchanged(doc, f)) throw changedSinceTrace(f.path);
  // Throws patch-conflict when the file on disk is not the traced text, or when a changed line
  // cannot be written in the file's encoding.
  const patched = patchSourceBytes(bytes, f.oldText, f.newText, f.path);
  const body = patched.encoding.bom ? patched.bytes.subarray(3) : patched.bytes;
  const eol = doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
  const target = decodeAs(patched.encoding, body).replace(/\r?\n/g, eol);
  const text = doc.getText();
  // What saving the edited document writes must be the patched bytes (line ends aside: VS Code keeps
  // one line end per document).
  const docEncoding = encodingFromVscode(doc.encoding);
  const saved = docEncoding && encodeAs(docEncoding, target);
  const expected = encodeAs(patched.encoding, target);
  if (
    !saved ||
    !expected ||
    docEncoding.bom !== patched.encoding.bom ||
    Buffer.compare(saved, expected) !== 0
  ) {
    throw new UserError(
      'patch-conflict',
      `${f.path} is open as ${doc.encoding}, but the file is ${describeEncoding(patched.encoding)}; saving the fix from this editor would change other bytes, so it was not applied.`,
      `Save or revert the file, then use "Reopen with Encoding" (${patched.encoding.vscode ?? patched.encoding.name}) and apply again.`,
    );
  }
  return { doc, replacements: hunkReplacements(text, computeHunks(text, target)) };
}

/** Builds the edit; throws `patch-conflict` (nothing applied) when a file changed since the trace. */
export async function buildFixEdit(
  session: FixSession,
  round: FixRound,
): Promise<vscode.WorkspaceEdit> {
  const patch = round.patch;
  if (!patch || patch.files.length === 0)
    throw new UserError('bad-argument', `Round ${round.index} has no fix to apply.`);
  const edit = new vscode.WorkspaceEdit();
  for (const f of patch.files) {
    const { doc, replacements } = await fixReplacements(session, f);
    for (const r of replacements) {
      edit.replace(
        doc.uri,
        new vscode.Range(doc.positionAt(r.start), doc.positionAt(r.end)),
        r.text,
        {
          label: `Tracefix: ${fixSummary(round)}`,
          needsConfirmation: false,
        },
      );
    }
  }
  return edit;
}

export async function applyRound(session: FixSession, round: FixRound): Promise<void> {
  const edit = await buildFixEdit(session, round);
  if (!(await vscode.workspace.applyEdit(edit)))
    throw new UserError(
      'patch-conflict',
      'VS Code did not apply the fix (the files may be read-only or changed meanwhile).',
    );
}

/** `vscode.diff` between a patched file as it is now and as the round would make it. */
export async function previewRound(
  session: FixSession,
  round: FixRound,
  relPath?: string,
): Promise<void> {
  const f = round.patch?.files.find((x) => relPath === undefined || x.path === relPath);
  if (!f)
    throw new UserError(
      'bad-argument',
      `Round ${round.index} has no fix${relPath ? ` for ${relPath}` : ''} to preview.`,
    );
  const title = `${path.basename(f.path)} ↔ Tracefix fix (round ${round.index}, ${verificationLabel(round, session.trace.program.kind)})`;
  await vscode.commands.executeCommand(
    'vscode.diff',
    fileUriOf(session, f),
    fixUri(session, round.index, f.path),
    title,
    { preview: true },
  );
}
