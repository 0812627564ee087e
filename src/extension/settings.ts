// Reads the `tracefix.*` settings (declared in contributes/settings.ts, with their defaults and
// bounds) into the shapes the core takes. Every core limit has a setting.
import * as vscode from 'vscode';
import type { BaselineSpec } from '../core/compare/baseline';
import type { EngineName } from '../core/trace/options';
import type { TraceLimits } from '../core/trace/model';
import type { LaunchSetting } from './run/runPlan';
import {
  SECTION,
  SETTING_DEFAULTS as D,
  SETTINGS,
  type ModelProviderSetting,
} from './contributes/settings';

export { SECTION, type ModelProviderSetting } from './contributes/settings';

export type { LaunchSetting } from './run/runPlan';

export interface TracefixSettings {
  pythonPath: string | undefined;
  /** A launch.json configuration name, or an explicit target. */
  launch: string | LaunchSetting | undefined;
  limits: TraceLimits;
  engine: EngineName;
  /** Token budget of the whole prompt given to the model (used by the explain step). */
  budget: number;
  inlineMaxLength: number;
  dimNeverExecuted: boolean;
  /** Which model Explain & Fix asks: an OpenAI(-compatible) endpoint or a VS Code language model. */
  provider: ModelProviderSetting;
  /** Model name (OpenAI) or id/family (vscode-lm); undefined = the provider's default. */
  model: string | undefined;
  /** OpenAI-compatible base URL; undefined = api.openai.com. */
  baseUrl: string | undefined;
  maxRounds: number;
  /** Trace tool calls the model may make per Explain & Fix round (0: no tools). */
  maxToolCalls: number;
  /** `tracefix.modelTimeoutSeconds`: total time of one model request. */
  modelDeadlineMs: number;
  /** `tracefix.maxTokens`, sent as max_tokens. */
  maxTokens: number;
  /** A fix that edits the tests may be offered. */
  allowTestEdits: boolean;
  /** The record tool passes a chat model's program arguments on. */
  toolsAllowProgramArguments: boolean;
  /** `tracefix.verify.env`: NAME or NAME=VALUE entries given to model-written runs. */
  verifyEnv: string[];
  /** `tracefix.baseline`: the passing run Explain & Fix compares the failing one with. */
  baseline: BaselineSpec;
}

function positive(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

export function readSettings(scope?: vscode.ConfigurationScope): TracefixSettings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const pythonPath = c.get<string>('pythonPath')?.trim();
  const launch = c.get<string | LaunchSetting | null>('launch');
  return {
    pythonPath: pythonPath ? pythonPath : undefined,
    launch: launch === null || launch === '' || launch === undefined ? undefined : launch,
    limits: {
      maxSteps: Math.floor(positive(maxEvents(c), D.maxEvents)),
      timeoutMs: Math.round(positive(c.get('timeoutSeconds'), D.timeoutSeconds) * 1000),
      reprLength: Math.floor(positive(c.get('reprLength'), D.reprLength)),
    },
    engine: c.get<string>('engine') === 'step' ? 'step' : D.engine,
    budget: Math.floor(positive(c.get('budget'), D.budget)),
    inlineMaxLength: Math.floor(positive(c.get('inline.maxLength'), D['inline.maxLength'])),
    dimNeverExecuted: c.get<boolean>('inline.dimNeverExecuted') ?? D['inline.dimNeverExecuted'],
    provider: c.get<string>('provider') === 'vscode-lm' ? 'vscode-lm' : D.provider,
    model: c.get<string>('model')?.trim() || undefined,
    baseUrl: c.get<string>('baseUrl')?.trim() || undefined,
    maxRounds: Math.max(1, Math.floor(positive(c.get('maxRounds'), D.maxRounds))),
    maxToolCalls: toolCalls(c.get('maxToolCalls')),
    modelDeadlineMs: Math.round(
      positive(c.get('modelTimeoutSeconds'), D.modelTimeoutSeconds) * 1000,
    ),
    maxTokens: wholePositive(c.get('maxTokens'), D.maxTokens),
    allowTestEdits: c.get<boolean>('allowTestEdits') === true,
    toolsAllowProgramArguments: c.get<boolean>('tools.allowProgramArguments') === true,
    verifyEnv: (c.get<unknown[]>('verify.env') ?? []).filter(
      (x): x is string => typeof x === 'string' && x.trim() !== '',
    ),
    baseline: baselineSetting(c.get('baseline')),
  };
}

/** `tracefix.maxEvents`, else its old name `tracefix.maxSteps` where a user set that one. */
function maxEvents(c: vscode.WorkspaceConfiguration): unknown {
  const set = c.inspect('maxEvents');
  const given = [set?.workspaceFolderValue, set?.workspaceValue, set?.globalValue].some(
    (v) => v !== undefined,
  );
  return given ? c.get('maxEvents') : (c.get('maxSteps') ?? c.get('maxEvents'));
}

/** `tracefix.baseline`: auto (default), none, git (HEAD), last-pass or sibling. */
function baselineSetting(value: unknown): BaselineSpec {
  switch (value) {
    case 'none':
    case 'sibling':
      return { kind: value };
    case 'git':
      return { kind: 'git', ref: 'HEAD' };
    case 'last-pass':
      return { kind: 'last-pass', ref: 'HEAD' };
    default:
      return { kind: 'auto' };
  }
}

/** `tracefix.maxToolCalls`: a whole number 0–MAX_TOOL_CALLS (0 switches the trace tools off). */
function toolCalls(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
    ? Math.min(SETTINGS.maxToolCalls.maximum, Math.floor(value))
    : D.maxToolCalls;
}

function wholePositive(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback;
}

/** Settings whose change requires the decoration types to be rebuilt / the view re-rendered. */
export function affectsDecorations(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(`${SECTION}.inline`);
}
