// The record contract between the injected helper (debuggee/pydevd_tracefix_core.py and friends)
// and the assembler: one JSON array per line on the record channel, each element one record.
// HELPER_PROTOCOL must equal the helper's PROTOCOL; both sides check it (install() refuses another
// version, and the first record is 'V' with the helper's version).

import contract from './debuggee/record_contract.json';

/** The protocol both sides speak (record_contract.json, also read by the helper's own tests). */
export const HELPER_PROTOCOL: number = contract.protocol;

/** A change inside a cut value: [path, value] set, [path] deleted, [path, value, '+'|'-'] set add /
 * discard, [name, count, '*'] more changes not listed. */
export type RawDelta = [string] | [string, string] | [string, string, '+' | '-' | '*'];
/** Changed names → reprs; 0 when none. */
type Changed = Record<string, string> | 0;
type Names = string[] | 0;
type Deltas = RawDelta[] | 0;
/** Changed names (and `__return__`) → object numbers of the mutable values they hold (>0: the number a
 * plain object's repr shows, <0: other objects); 0 when none. */
export type RawIds = Record<string, number> | 0;
/** What a statement reads and writes and which branch decides whether it runs
 * (debuggee/pydevd_tracefix_uses.py): [first line, last line, reads, writes, controlling line or 0]. */
export type RawUseRow = [number, number, string[], string[], number];

export type RawRecord =
  /** Version: helper protocol, Python version, event source, debugpy version, debuggee pid. */
  | ['V', number, string, 'monitoring' | 'settrace' | 'profile', string, number]
  /** A user file: index, path relative to the root. */
  | ['F', number, string]
  /** A frame starts: callId, parent callId (0: none), file index, first line, function, depth, bindings, scope, ids. */
  | ['C', number, number, number, number, string, number, Changed, 'f' | 'm' | 'c', RawIds?]
  /** A line starts in frame callId; the changes are those of the frame's previous line. */
  | ['L', number, number, Changed?, Names?, Deltas?, RawIds?]
  /** The frame returns ('r', value repr), yields ('y') or is left by an exception ('e', [type, message, repr]). */
  | [
      'R',
      number,
      number,
      'r' | 'y' | 'e',
      string | [string, string, string],
      Changed,
      Names,
      Deltas,
      RawIds?,
    ]
  /** The statements of a code object that started being recorded: file index, rows. */
  | ['U', number, RawUseRow[]]
  /** Program output: fd 1 or 2, text. */
  | ['O', 1 | 2, string]
  /** A user module imported without line recording: file index, user calls during the import, ms. */
  | ['I', number, number, number]
  /** The program installed its own tracer at file index:line after n events. */
  | ['T', number, number, number]
  /** pytest plugin facts (see pydevd_tracefix_pytest.py). */
  | ['P', string, ...unknown[]]
  /** Something of the recorder's own did not work (logged with the debugpy version). */
  | ['W', string, string]
  /** End of recording: why ('exit' | 'os._exit' | 'cap' | 'stop'), events, ms recording, exit code (os._exit). */
  | ['E', string, number, number, number | null];

export function isRecordBatch(v: unknown): v is RawRecord[] {
  return Array.isArray(v) && v.every((r) => Array.isArray(r) && typeof r[0] === 'string');
}
