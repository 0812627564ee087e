// A proposed patch is only valid for the text it was computed from. The trace records a hash of
// each source file; before applying, the current text must still have that hash.
import { createHash } from 'node:crypto';
import { UserError } from '../errors';

/** `sha256:<hex>` of the exact text (line ends included: converting them is a change too). */
export function hashText(text: string): string {
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

export function isUnchanged(currentText: string, recordedHash: string): boolean {
  return hashText(currentText) === recordedHash;
}

/** The `patch-conflict` error for a file that no longer holds the text a fix was made from. */
export function changedSinceTrace(path: string): UserError {
  return new UserError(
    'patch-conflict',
    `${path} has changed since the trace was recorded, so the proposed fix may no longer fit; it was not applied.`,
    'Save your edits and run Explain & Fix again to get a fix for the current code.',
  );
}

/** Throws `patch-conflict` when `currentText` is not the text the trace/answer was based on. */
export function assertUnchanged(path: string, currentText: string, recordedHash: string): void {
  if (!isUnchanged(currentText, recordedHash)) throw changedSinceTrace(path);
}
