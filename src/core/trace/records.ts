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

type FieldType = string;
const CONTRACT = contract.records as Record<string, FieldType[]>;

function fieldOk(type: FieldType, v: unknown): boolean {
  switch (type.replace(/[?*]$/, '')) {
    case 'int':
      return Number.isInteger(v);
    case 'num':
      return typeof v === 'number';
    case 'str':
      return typeof v === 'string';
    case 'int_or_null':
      return v === null || Number.isInteger(v);
    case 'changed':
      return (
        v === 0 ||
        (typeof v === 'object' &&
          v !== null &&
          !Array.isArray(v) &&
          Object.values(v).every((x) => typeof x === 'string'))
      );
    case 'names':
      return v === 0 || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
    case 'deltas':
      return (
        v === 0 ||
        (Array.isArray(v) &&
          v.every(
            (d) =>
              Array.isArray(d) &&
              d.length >= 1 &&
              d.length <= 3 &&
              d.every((x) => typeof x === 'string'),
          ))
      );
    case 'value':
      return (
        typeof v === 'string' ||
        (Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'string'))
      );
    case 'ids':
      return (
        v === 0 ||
        (typeof v === 'object' &&
          v !== null &&
          !Array.isArray(v) &&
          Object.values(v).every((x) => Number.isInteger(x) && x !== 0))
      );
    case 'uses':
      return Array.isArray(v) && v.every(isUseRow);
    case 'any':
      return true;
    default:
      return false;
  }
}

function isUseRow(r: unknown): boolean {
  const strings = (x: unknown) => Array.isArray(x) && x.every((s) => typeof s === 'string');
  return (
    Array.isArray(r) &&
    r.length === 5 &&
    Number.isInteger(r[0]) &&
    Number.isInteger(r[1]) &&
    strings(r[2]) &&
    strings(r[3]) &&
    Number.isInteger(r[4])
  );
}

/** Why a record breaks the contract (record_contract.json), or undefined when it keeps it. Used by
 * the tests of both sides; the recorder itself trusts the helper of its own protocol version. */
export function contractViolation(r: unknown): string | undefined {
  if (!Array.isArray(r) || typeof r[0] !== 'string') return 'not an array starting with its kind';
  const fields = CONTRACT[r[0]];
  if (!fields) return `unknown record kind ${JSON.stringify(r[0])}`;
  const rest = r.slice(1);
  const variadic = fields[fields.length - 1]?.endsWith('*') === true;
  const required = fields.filter((f) => !f.endsWith('?') && !f.endsWith('*')).length;
  if (rest.length < required || (!variadic && rest.length > fields.length))
    return `${r[0]} record with ${rest.length} fields (expected ${required}–${fields.length})`;
  for (let i = 0; i < rest.length; i++) {
    const type = fields[Math.min(i, fields.length - 1)] as FieldType;
    if (!fieldOk(type, rest[i]))
      return `${r[0]} record field ${i + 1} is not ${type}: ${JSON.stringify(rest[i]).slice(0, 80)}`;
  }
  return undefined;
}
