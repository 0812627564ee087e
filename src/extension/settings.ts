// Reads the `tracefix.*` settings into the shapes the core takes. Every core limit has a setting.
import * as vscode from 'vscode';
import type { EngineName } from '../core/trace/options';
import type { TraceLimits } from '../core/trace/model';
import { DEFAULT_LIMITS } from '../core/trace/model';
import type { LaunchSetting } from './runPlan';

export const SECTION = 'tracefix';

export type { LaunchSetting } from './runPlan';

export interface TracefixSettings {
  pythonPath: string | undefined;
  /** A launch.json configuration name, or an explicit target. */
  launch: string | LaunchSetting | undefined;
  limits: TraceLimits;
  engine: EngineName;
  /** Token budget of the NExT text given to the model (used by the explain step). */
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
}

export type ModelProviderSetting = 'openai' | 'vscode-lm';

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
      maxSteps: Math.floor(positive(c.get('maxSteps'), DEFAULT_LIMITS.maxSteps)),
      timeoutMs: Math.round(
        positive(c.get('timeoutSeconds'), DEFAULT_LIMITS.timeoutMs / 1000) * 1000,
      ),
      reprLength: Math.floor(positive(c.get('reprLength'), DEFAULT_LIMITS.reprLength)),
    },
    // 'logpoint' is the former name of 'fast' and still accepted.
    engine: c.get<string>('engine') === 'step' ? 'step' : 'fast',
    budget: Math.floor(positive(c.get('budget'), 6000)),
    inlineMaxLength: Math.floor(positive(c.get('inline.maxLength'), 80)),
    dimNeverExecuted: c.get<boolean>('inline.dimNeverExecuted') ?? true,
    provider: c.get<string>('provider') === 'vscode-lm' ? 'vscode-lm' : 'openai',
    model: c.get<string>('model')?.trim() || undefined,
    baseUrl: c.get<string>('baseUrl')?.trim() || undefined,
    maxRounds: Math.max(1, Math.floor(positive(c.get('maxRounds'), 3))),
    maxToolCalls: toolCalls(c.get('maxToolCalls')),
  };
}

/** `tracefix.maxToolCalls`: a whole number 0–50 (0 switches the trace tools off), default 8. */
function toolCalls(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
    ? Math.min(50, Math.floor(value))
    : 8;
}

/** Settings whose change requires the decoration types to be rebuilt / the view re-rendered. */
export function affectsDecorations(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(`${SECTION}.inline`);
}
